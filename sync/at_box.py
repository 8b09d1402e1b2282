"""What a box does with each message from the hub (docs/PROTOCOL.md, hub → box).

Each function applies one message inside the caller's transaction, or raises Refused
when the message cannot be applied; the caller keeps it aside and moves on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Table, delete, select, update

from core.domain import partners as partner_rules
from core.domain import report_status as rs
from core.domain import reports as report_rules
from core.domain import scope
from core.domain import works as works_rules
from core.domain.clock import utcnow
from core.storage.schema import (
    deal_residences,
    deals,
    news,
    partners,
    photos,
    publishers,
    report_events,
    report_messages,
    reports,
    residences,
    works_notices,
)
from sync import board_arrival, event_arrival, photo_arrival, values
from sync.envelope import Refused


def _known_report(connection: Connection, report_id: str) -> None:
    if not connection.execute(select(reports.c.id).where(reports.c.id == report_id)).first():
        raise Refused(f"report {report_id} is not one of this box")


def _known(connection: Connection, table: Table, row_id: str) -> bool:
    # A box brought up to date is sent again answers it may have: each counts once.
    return connection.execute(select(table.c.id).where(table.c.id == row_id)).first() is not None


def report_status(connection: Connection, body: dict[str, Any]) -> None:
    report_id = values.text(body, "report_id", 32)
    _known_report(connection, report_id)
    if _known(connection, report_events, values.text(body, "event_id", 32)):
        return
    status = values.text(body, "status", 20)
    if status not in rs.STATUSES:
        raise Refused(f"status {status!r} is unknown")
    created_at = values.moment(body, "created_at")
    scheduled_for = values.day(body, "scheduled_for", optional=True)
    duplicate_of = values.text(body, "duplicate_of", 32, optional=True)
    if duplicate_of is not None:
        _known_report(connection, duplicate_of)
    connection.execute(
        update(reports)
        .where(reports.c.id == report_id)
        .values(
            status=status,
            scheduled_for=scheduled_for if status == rs.SCHEDULED else reports.c.scheduled_for,
            duplicate_of=duplicate_of if status == rs.DUPLICATE else reports.c.duplicate_of,
            updated_at=created_at,
        )
    )
    connection.execute(
        report_events.insert().values(
            id=values.text(body, "event_id", 32),
            report_id=report_id,
            status=status,
            note=values.text(body, "note", report_rules.MAX_MESSAGE) or "",
            scheduled_for=scheduled_for,
            duplicate_of=duplicate_of,
            actor_name=values.text(body, "actor_name", 100, optional=True),
            created_at=created_at,
        )
    )
    report_rules.tell_household(connection, report_id, status)


def report_message(connection: Connection, body: dict[str, Any]) -> None:
    report_id = values.text(body, "report_id", 32)
    _known_report(connection, report_id)
    if _known(connection, report_messages, values.text(body, "message_id", 32)):
        return
    created_at = values.moment(body, "created_at")
    connection.execute(
        report_messages.insert().values(
            id=values.text(body, "message_id", 32),
            report_id=report_id,
            author_kind="agent",
            author_name=values.text(body, "author_name", 100, optional=True),
            body=values.text(body, "body", report_rules.MAX_MESSAGE),
            created_at=created_at,
        )
    )
    connection.execute(
        update(reports).where(reports.c.id == report_id).values(updated_at=created_at)
    )


def _publisher(connection: Connection, publisher: dict[str, Any]) -> str:
    publisher_id = values.text(publisher, "id", 32)
    name = values.text(publisher, "name", 120)
    kind = values.text(publisher, "kind", 20)
    known = connection.execute(
        select(publishers.c.id).where(
            (publishers.c.id == publisher_id) | (publishers.c.name == name)
        )
    ).scalar()
    if known is not None:
        connection.execute(
            update(publishers).where(publishers.c.id == known).values(name=name, kind=kind)
        )
        return known
    connection.execute(publishers.insert().values(id=publisher_id, name=name, kind=kind))
    return publisher_id


def _photo_arrived(connection: Connection, item: dict[str, Any]) -> str | None:
    photo_id = values.text(item, "photo_id", 32, optional=True)
    if (
        photo_id
        and not connection.execute(select(photos.c.id).where(photos.c.id == photo_id)).first()
    ):
        raise Refused(f"photo {photo_id} has not arrived before what shows it")
    return photo_id


def _scope(item: dict[str, Any]) -> dict[str, str]:
    kind = values.text(item, "scope_kind", 20)
    if kind not in scope.SCOPES:
        raise Refused(f"scope {kind!r} is unknown")
    return {"scope_kind": kind, "scope_ref": values.text(item, "scope_ref", 120)}


def _keep(connection: Connection, table: Table, item_id: str, row: dict[str, Any]) -> bool:
    """Add an item, or replace it: an edited item comes again with the same id. Return
    whether it is new here."""
    if connection.execute(select(table.c.id).where(table.c.id == item_id)).first():
        connection.execute(update(table).where(table.c.id == item_id).values(**row))
        return False
    connection.execute(table.insert().values(id=item_id, **row))
    return True


def news_published(connection: Connection, body: dict[str, Any]) -> None:
    item = values.obj(body, "news")
    row = {
        "publisher_id": _publisher(connection, values.obj(body, "publisher")),
        "title": values.text(item, "title", 140),
        "body": values.text(item, "body", 20000),
        "photo_id": _photo_arrived(connection, item),
        **_scope(item),
        "published_at": values.moment(item, "published_at"),
        "expires_at": values.moment(item, "expires_at", optional=True),
    }
    _keep(connection, news, values.text(item, "id", 32), row)


def news_withdrawn(connection: Connection, body: dict[str, Any]) -> None:
    connection.execute(delete(news).where(news.c.id == values.text(body, "news_id", 32)))


def works_announced(connection: Connection, body: dict[str, Any]) -> None:
    notice = values.obj(body, "notice")
    publisher = values.obj(body, "publisher", optional=True)
    row = {
        "publisher_id": _publisher(connection, publisher) if publisher else None,
        **_scope(notice),
        "title": values.text(notice, "title", 140),
        "location": values.text(notice, "location", 140),
        "photo_id": _photo_arrived(connection, notice),
        "starts_on": values.day(notice, "starts_on"),
        "ends_on": values.day(notice, "ends_on"),
        "tenant_action": values.text(notice, "tenant_action", 5000) or "",
        "published_at": values.moment(notice, "published_at"),
    }
    notice_id = values.text(notice, "id", 32)
    new = _keep(connection, works_notices, notice_id, row)
    if new:
        works_rules.tell_residents(connection, notice_id)


def works_withdrawn(connection: Connection, body: dict[str, Any]) -> None:
    notice_id = values.text(body, "notice_id", 32)
    connection.execute(delete(works_notices).where(works_notices.c.id == notice_id))


def deal_published(connection: Connection, body: dict[str, Any]) -> None:
    deal = values.obj(body, "deal")
    deal_id = values.text(deal, "id", 32)
    # The box keeps the deal for the residences it serves, the others are not its own.
    residence_ids = body.get("residence_ids")
    if not isinstance(residence_ids, list) or not all(isinstance(r, str) for r in residence_ids):
        raise Refused("residence_ids: a list of ids is expected")
    here = list(
        connection.execute(
            select(residences.c.id).where(residences.c.id.in_(residence_ids))
        ).scalars()
    )
    if not here:
        raise Refused("deal.published: no residence of this box")
    row = {
        "publisher_id": _publisher(connection, values.obj(body, "publisher")),
        "title": values.text(deal, "title", 140),
        "description": values.text(deal, "description", 3000),
        "photo_id": _photo_arrived(connection, deal),
        "valid_from": values.day(deal, "valid_from"),
        "valid_until": values.day(deal, "valid_until"),
        "created_at": utcnow(),
        "updated_at": utcnow(),
    }
    _keep(connection, deals, deal_id, row)
    connection.execute(delete(deal_residences).where(deal_residences.c.deal_id == deal_id))
    connection.execute(
        deal_residences.insert(), [{"deal_id": deal_id, "residence_id": r} for r in here]
    )


def deal_withdrawn(connection: Connection, body: dict[str, Any]) -> None:
    deal_id = values.text(body, "deal_id", 32)
    connection.execute(delete(deal_residences).where(deal_residences.c.deal_id == deal_id))
    connection.execute(delete(deals).where(deals.c.id == deal_id))


def partner_published(connection: Connection, body: dict[str, Any]) -> None:
    partner = values.obj(body, "partner")
    category = values.text(partner, "category", 30)
    if category not in partner_rules.CATEGORIES:
        raise Refused(f"category {category!r} is unknown")
    row = {
        "name": values.text(partner, "name", 140),
        "category": category,
        "description": values.text(partner, "description", 3000),
        "address": values.text(partner, "address", 200) or "",
        "phone": values.text(partner, "phone", 40) or "",
        "opening_hours": values.text(partner, "opening_hours", 1000) or "",
        **_scope(partner),
        "updated_at": values.moment(partner, "updated_at"),
    }
    _keep(connection, partners, values.text(partner, "id", 32), row)


def partner_withdrawn(connection: Connection, body: dict[str, Any]) -> None:
    connection.execute(delete(partners).where(partners.c.id == values.text(body, "partner_id", 32)))


APPLY: dict[str, Callable[[Connection, dict[str, Any]], None]] = {
    "photo.added": photo_arrival.keep,
    "report.status": report_status,
    "report.message": report_message,
    "news.published": news_published,
    "news.withdrawn": news_withdrawn,
    "works.announced": works_announced,
    "works.withdrawn": works_withdrawn,
    "deal.published": deal_published,
    "deal.withdrawn": deal_withdrawn,
    "partner.published": partner_published,
    "partner.withdrawn": partner_withdrawn,
    **board_arrival.APPLY,
    **event_arrival.APPLY,
}
