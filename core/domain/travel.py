"""What each change tells the other side of the link, built in the change's transaction.

A box tells the hub about its tenants' reports: photos first, then the report, then its
messages and "me too" — the hub applies them in that order. The hub tells each box what
agents did to that box's reports and what publishers wrote for its buildings. Bodies are
described in docs/PROTOCOL.md; ``link`` numbers them and keeps them until acknowledged.
"""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import Connection, select

from core.domain import link, scope
from core.storage.schema import (
    box_buildings,
    buildings,
    deal_residences,
    deals,
    dwellings,
    events,
    news,
    partners,
    photos,
    post_comments,
    posts,
    profiles,
    publishers,
    report_events,
    report_messages,
    report_photos,
    reports,
    works_notices,
)


def photo_body(connection: Connection, photo_id: str) -> dict[str, Any]:
    row = connection.execute(select(photos).where(photos.c.id == photo_id)).mappings().one()
    return {
        "photo_id": row["id"],
        "jpeg": base64.b64encode(row["jpeg"]).decode("ascii"),
        "width": row["width"],
        "height": row["height"],
    }


def _dwelling(connection: Connection, dwelling_id: str) -> dict[str, Any]:
    row = (
        connection.execute(
            select(
                dwellings.c.id,
                dwellings.c.building_id,
                dwellings.c.reference,
                dwellings.c.staircase,
                dwellings.c.floor,
            ).where(dwellings.c.id == dwelling_id)
        )
        .mappings()
        .one()
    )
    return dict(row)


def _name(connection: Connection, profile_id: str | None) -> str | None:
    if profile_id is None:
        return None
    return connection.execute(
        select(profiles.c.display_name).where(profiles.c.id == profile_id)
    ).scalar()


# Box → hub


def report_filed(connection: Connection, report_id: str) -> None:
    """Tell the hub about a new report, its photos first."""
    if not link.is_linked_box(connection):
        return
    report = connection.execute(select(reports).where(reports.c.id == report_id)).mappings().one()
    photo_ids = list(
        connection.execute(
            select(report_photos.c.photo_id)
            .where(report_photos.c.report_id == report_id)
            .order_by(report_photos.c.position)
        ).scalars()
    )
    for photo_id in photo_ids:
        link.tell_hub(connection, "photo.added", photo_body(connection, photo_id), report_id)
    body = {
        "report": {
            key: report[key]
            for key in (
                "id",
                "number",
                "building_id",
                "category",
                "location",
                "description",
                "created_at",
            )
        },
        # The agent needs the dwelling, not who in the household wrote.
        "dwelling": _dwelling(connection, report["dwelling_id"]),
        "photo_ids": photo_ids,
    }
    link.tell_hub(connection, "report.filed", body, report_id)


def tenant_message(connection: Connection, message_id: str) -> None:
    """Tell the hub about a household's message on its report."""
    if not link.is_linked_box(connection):
        return
    message = (
        connection.execute(select(report_messages).where(report_messages.c.id == message_id))
        .mappings()
        .one()
    )
    body = {
        "message_id": message["id"],
        "report_id": message["report_id"],
        "body": message["body"],
        "author_name": _name(connection, message["author_profile_id"]),
        "created_at": message["created_at"],
    }
    link.tell_hub(connection, "report.message", body, message["report_id"])


def report_supported(
    connection: Connection, report_id: str, dwelling_id: str, created_at: Any
) -> None:
    """Tell the hub that one more household has the same problem ("me too")."""
    if not link.is_linked_box(connection):
        return
    body = {
        "report_id": report_id,
        "dwelling": _dwelling(connection, dwelling_id),
        "created_at": created_at,
    }
    link.tell_hub(connection, "report.supported", body, report_id)


# The noticeboard: every post goes to the hub, which keeps a copy for a box that is
# replaced and hands the residence's posts to the residence's other boxes.

_POST_KEYS = (
    "id",
    "scope",
    "residence_id",
    "building_id",
    "building_name",
    "category",
    "title",
    "body",
    "photo_id",
    "author_name",
    "created_at",
)
_COMMENT_KEYS = ("id", "post_id", "author_name", "body", "created_at")


def post_body(connection: Connection, post_id: str) -> dict[str, Any]:
    post = connection.execute(select(posts).where(posts.c.id == post_id)).mappings().one()
    return {"post": {key: post[key] for key in _POST_KEYS}}


def comment_body(connection: Connection, comment_id: str) -> dict[str, Any]:
    comment = (
        connection.execute(select(post_comments).where(post_comments.c.id == comment_id))
        .mappings()
        .one()
    )
    return {"comment": {key: comment[key] for key in _COMMENT_KEYS}}


def post_published(connection: Connection, post_id: str) -> None:
    """Tell the hub about a post (again, when it changed), its photo first."""
    if not link.is_linked_box(connection):
        return
    body = post_body(connection, post_id)
    if body["post"]["photo_id"]:
        photo = photo_body(connection, body["post"]["photo_id"])
        link.tell_hub(connection, "photo.added", photo, post_id)
    link.tell_hub(connection, "post.published", body, post_id)


def post_commented(connection: Connection, comment_id: str) -> None:
    """Tell the hub about an answer under a post (again, when it changed)."""
    if link.is_linked_box(connection):
        body = comment_body(connection, comment_id)
        link.tell_hub(connection, "post.commented", body, body["comment"]["post_id"])


def post_thanked(
    connection: Connection, post_id: str, reactor_id: str, thanked: bool, at: Any
) -> None:
    """Tell the hub that someone said thank you for a post, or took it back."""
    if link.is_linked_box(connection):
        body = {"post_id": post_id, "reactor_id": reactor_id, "thanked": thanked, "at": at}
        link.tell_hub(connection, "post.thanked", body, post_id)


def post_removed(connection: Connection, post_id: str) -> None:
    """Tell the hub that a post was taken down."""
    if link.is_linked_box(connection):
        link.tell_hub(connection, "post.removed", {"post_id": post_id}, post_id)


def comment_removed(connection: Connection, post_id: str, comment_id: str) -> None:
    """Tell the hub that an answer was deleted."""
    if link.is_linked_box(connection):
        body = {"post_id": post_id, "comment_id": comment_id}
        link.tell_hub(connection, "comment.removed", body, post_id)


def post_moderated(
    connection: Connection,
    post_id: str,
    kind: str,
    item_id: str,
    hidden_at: Any,
    hidden_by: str | None,
) -> None:
    """Tell the hub that a post or an answer was hidden, or put back."""
    if link.is_linked_box(connection):
        body = {
            "post_id": post_id,
            "kind": kind,
            "id": item_id,
            "hidden": hidden_at is not None,
            "hidden_by": hidden_by,
            "at": hidden_at,
        }
        link.tell_hub(connection, "post.moderated", body, post_id)


# Events: every box's events go to the hub (a replaced box gets them back), and the
# residence's ones, with their replies, to the residence's other boxes.

_EVENT_KEYS = (
    "id",
    "scope",
    "residence_id",
    "building_id",
    "title",
    "description",
    "place",
    "starts_at",
    "ends_at",
    "organiser",
    "capacity",
    "created_at",
    "updated_at",
    "cancelled_at",
)


def event_body(connection: Connection, event_id: str) -> dict[str, Any]:
    """Return what an ``event.published`` message says of an event."""
    event = connection.execute(select(events).where(events.c.id == event_id)).mappings().one()
    return {"event": {key: event[key] for key in _EVENT_KEYS}}


def event_published(connection: Connection, event_id: str) -> None:
    """Tell the hub about an event, again whenever it changes or is cancelled."""
    if link.is_linked_box(connection):
        link.tell_hub(connection, "event.published", event_body(connection, event_id), event_id)


def event_replied(
    connection: Connection, event_id: str, profile_id: str, people: int, at: Any
) -> None:
    """Tell the hub that someone replied to an event (``people`` 0: no longer comes)."""
    if link.is_linked_box(connection):
        body = {"event_id": event_id, "profile_id": profile_id, "people": people, "at": at}
        link.tell_hub(connection, "event.replied", body, event_id)


def relay_to_residence(
    connection: Connection,
    from_box: str,
    residence_id: str,
    kind: str,
    body: dict[str, Any],
    subject_id: str,
) -> None:
    """At the hub, hand a residence post's news to the residence's other boxes (its
    photo first, for a post)."""
    targets = list(
        connection.execute(
            select(buildings.c.id).where(buildings.c.residence_id == residence_id)
        ).scalars()
    )
    skip = {from_box}
    photo_id = body.get("post", {}).get("photo_id")
    if photo_id:
        photo = photo_body(connection, photo_id)
        link.tell_boxes_of(connection, targets, "photo.added", photo, subject_id, skip=skip)
    link.tell_boxes_of(connection, targets, kind, body, subject_id, skip=skip)


# Hub → boxes


def _building_of_report(connection: Connection, report_id: str) -> str:
    return connection.execute(
        select(reports.c.building_id).where(reports.c.id == report_id)
    ).scalar_one()


def status_changed(
    connection: Connection, event_id: str, actor_name: str | None, only: str | None = None
) -> None:
    """Tell the box of the report's building about the agent's status change."""
    event = (
        connection.execute(select(report_events).where(report_events.c.id == event_id))
        .mappings()
        .one()
    )
    body = {
        "event_id": event["id"],
        "report_id": event["report_id"],
        "status": event["status"],
        "note": event["note"],
        "scheduled_for": event["scheduled_for"],
        "duplicate_of": event["duplicate_of"],
        "actor_name": actor_name,
        "created_at": event["created_at"],
    }
    building_id = _building_of_report(connection, event["report_id"])
    link.tell_boxes_of(
        connection, [building_id], "report.status", body, event["report_id"], only=only
    )


def agent_message(
    connection: Connection, message_id: str, author_name: str | None, only: str | None = None
) -> None:
    """Tell the box of the report's building about the agent's message."""
    message = (
        connection.execute(select(report_messages).where(report_messages.c.id == message_id))
        .mappings()
        .one()
    )
    body = {
        "message_id": message["id"],
        "report_id": message["report_id"],
        "body": message["body"],
        "author_name": author_name,
        "created_at": message["created_at"],
    }
    building_id = _building_of_report(connection, message["report_id"])
    link.tell_boxes_of(
        connection, [building_id], "report.message", body, message["report_id"], only=only
    )


def _publisher(connection: Connection, publisher_id: str | None) -> dict[str, Any] | None:
    if publisher_id is None:
        return None
    row = connection.execute(
        select(publishers.c.id, publishers.c.name, publishers.c.kind).where(
            publishers.c.id == publisher_id
        )
    )
    return dict(row.mappings().one())


def _to_scope(
    connection: Connection,
    kind: str,
    name: str,
    item: dict[str, Any],
    keys: tuple[str, ...],
    only: str | None,
) -> None:
    """Send an item (its picture first) to every box of a building in the item's scope."""
    targets = scope.buildings_in(connection, item["scope_kind"], item["scope_ref"])
    if item["photo_id"]:
        photo = photo_body(connection, item["photo_id"])
        link.tell_boxes_of(connection, targets, "photo.added", photo, item["id"], only=only)
    body = {
        name: {key: item[key] for key in keys},
        "publisher": _publisher(connection, item["publisher_id"]),
    }
    link.tell_boxes_of(connection, targets, kind, body, item["id"], only=only)


def _withdrawn_from_scope(
    connection: Connection,
    kind: str,
    key: str,
    item_id: str,
    scope_kind: str,
    scope_ref: str,
    keep: tuple[str, str] | None,
) -> None:
    """Tell the boxes of a scope to take an item down, but those within scope ``keep``."""
    kept: set[str] = set()
    if keep is not None:
        kept = set(
            connection.execute(
                select(box_buildings.c.box_id).where(
                    box_buildings.c.building_id.in_(scope.buildings_in(connection, *keep))
                )
            ).scalars()
        )
    targets = scope.buildings_in(connection, scope_kind, scope_ref)
    link.tell_boxes_of(connection, targets, kind, {key: item_id}, item_id, skip=kept)


def news_published(connection: Connection, news_id: str, only: str | None = None) -> None:
    """Send a news item to the boxes of its scope (``only``: to a box just enrolled)."""
    item = connection.execute(select(news).where(news.c.id == news_id)).mappings().one()
    keys = (
        "id",
        "title",
        "body",
        "photo_id",
        "scope_kind",
        "scope_ref",
        "published_at",
        "expires_at",
    )
    _to_scope(connection, "news.published", "news", dict(item), keys, only)


def news_withdrawn(
    connection: Connection,
    news_id: str,
    scope_kind: str,
    scope_ref: str,
    keep: tuple[str, str] | None = None,
) -> None:
    """Tell the boxes in the item's scope to take it down, but those within scope ``keep``."""
    _withdrawn_from_scope(
        connection, "news.withdrawn", "news_id", news_id, scope_kind, scope_ref, keep
    )


def works_announced(connection: Connection, notice_id: str, only: str | None = None) -> None:
    """Send a works notice to the boxes of its scope (``only``: to a box just enrolled)."""
    notice = (
        connection.execute(select(works_notices).where(works_notices.c.id == notice_id))
        .mappings()
        .one()
    )
    keys = (
        "id",
        "scope_kind",
        "scope_ref",
        "title",
        "location",
        "photo_id",
        "starts_on",
        "ends_on",
        "tenant_action",
        "published_at",
    )
    _to_scope(connection, "works.announced", "notice", dict(notice), keys, only)


def works_withdrawn(
    connection: Connection,
    notice_id: str,
    scope_kind: str,
    scope_ref: str,
    keep: tuple[str, str] | None = None,
) -> None:
    """Tell the boxes in the notice's scope to take it down, but those within scope ``keep``."""
    _withdrawn_from_scope(
        connection, "works.withdrawn", "notice_id", notice_id, scope_kind, scope_ref, keep
    )


def _buildings_of_residences(connection: Connection, residence_ids: list[str]) -> list[str]:
    return list(
        connection.execute(
            select(buildings.c.id).where(buildings.c.residence_id.in_(residence_ids))
        ).scalars()
    )


def deal_published(connection: Connection, deal_id: str, only: str | None = None) -> None:
    """Send a shop's deal to the boxes of the residences it targets (``only``: one box)."""
    deal = dict(connection.execute(select(deals).where(deals.c.id == deal_id)).mappings().one())
    residence_ids = list(
        connection.execute(
            select(deal_residences.c.residence_id).where(deal_residences.c.deal_id == deal_id)
        ).scalars()
    )
    targets = _buildings_of_residences(connection, residence_ids)
    if deal["photo_id"]:
        photo = photo_body(connection, deal["photo_id"])
        link.tell_boxes_of(connection, targets, "photo.added", photo, deal_id, only=only)
    keys = ("id", "title", "description", "photo_id", "valid_from", "valid_until")
    body = {
        "deal": {key: deal[key] for key in keys},
        "residence_ids": residence_ids,
        "publisher": _publisher(connection, deal["publisher_id"]),
    }
    link.tell_boxes_of(connection, targets, "deal.published", body, deal_id, only=only)


def deal_withdrawn(connection: Connection, deal_id: str, residence_ids: list[str]) -> None:
    """Tell the boxes of these residences to take a deal down."""
    targets = _buildings_of_residences(connection, residence_ids)
    link.tell_boxes_of(connection, targets, "deal.withdrawn", {"deal_id": deal_id}, deal_id)


def partner_published(connection: Connection, partner_id: str, only: str | None = None) -> None:
    """Send a partner's service to the boxes of its district or city (``only``: one box)."""
    partner = (
        connection.execute(select(partners).where(partners.c.id == partner_id)).mappings().one()
    )
    targets = scope.buildings_in(connection, partner["scope_kind"], partner["scope_ref"])
    keys = (
        "id",
        "name",
        "category",
        "description",
        "address",
        "phone",
        "opening_hours",
        "scope_kind",
        "scope_ref",
        "updated_at",
    )
    body = {"partner": {key: partner[key] for key in keys}}
    link.tell_boxes_of(connection, targets, "partner.published", body, partner_id, only=only)


def partner_withdrawn(
    connection: Connection,
    partner_id: str,
    scope_kind: str,
    scope_ref: str,
    keep: tuple[str, str] | None = None,
) -> None:
    """Tell the boxes in the service's scope to take it down, but those within ``keep``."""
    _withdrawn_from_scope(
        connection, "partner.withdrawn", "partner_id", partner_id, scope_kind, scope_ref, keep
    )
