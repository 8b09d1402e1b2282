"""What one side of the link sends the other to bring it up to date: the hub, a box just
enrolled or come back after a long gap; a box, the hub it was just linked to.

The messages are the live ones, made by the same builders (``core.messages``) and sent
again to that one side; the receiving side skips what it already has.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement, Connection, Table, and_, or_, select

from core.domain import deals as deal_rules
from core.domain import news as news_rules
from core.domain import partners as partner_rules
from core.domain import report_status as rs
from core.domain import works as works_rules
from core.domain.clock import utcnow
from core.domain.estate import list_buildings
from core.messages import events as event_messages
from core.messages import noticeboard as board_messages
from core.messages.outgoing import Body, to_boxes_of
from core.messages.photos import photo_added
from core.messages.publications import (
    deal_published,
    news_published,
    partner_published,
    works_announced,
)
from core.messages.reports import (
    agent_message,
    report_filed,
    report_supported,
    status_changed,
    tenant_message,
)
from core.storage.schema import (
    buildings,
    event_rsvps,
    events,
    post_comments,
    post_reactions,
    posts,
    report_events,
    report_messages,
    report_supporters,
    reports,
)

# A box brought up to date is sent again what happened to the reports of this long ago
# and since: the answers tenants may still be reading.
REPORTS_AGAIN = timedelta(days=90)


def reports_to_box(connection: Connection, box_id: str, building_ids: list[str]) -> None:
    """At the hub, send a box again the status changes and agents' messages of its
    buildings' recent reports, oldest first; the box skips those it has."""
    recent = select(reports.c.id).where(
        reports.c.building_id.in_(building_ids),
        reports.c.updated_at >= utcnow() - REPORTS_AGAIN,
    )
    changes = connection.execute(
        select(report_events.c.created_at, report_events.c.id, report_events.c.actor_name).where(
            report_events.c.report_id.in_(recent)
        )
    ).all()
    answers = connection.execute(
        select(
            report_messages.c.created_at, report_messages.c.id, report_messages.c.author_name
        ).where(report_messages.c.report_id.in_(recent), report_messages.c.author_kind == "agent")
    ).all()
    told = [(at, 0, row_id, name) for at, row_id, name in changes]
    told += [(at, 1, row_id, name) for at, row_id, name in answers]
    for _at, is_message, row_id, name in sorted(told):
        tell = agent_message if is_message else status_changed
        tell(connection, row_id, name, only=box_id)


def box(connection: Connection, box_id: str, building_ids: list[str]) -> None:
    """At the hub, send a box just enrolled the news, works, deals and services already
    current for it, and its noticeboard as the hub keeps it."""
    sent: set[str] = set()
    for building in list_buildings(connection, building_ids):
        for item in reversed(news_rules.for_building(connection, building, limit=200)):
            if item["id"] not in sent:
                news_published(connection, item["id"], only=box_id)
                sent.add(item["id"])
        for notice in works_rules.current_for_building(connection, building):
            if notice["id"] not in sent:
                works_announced(connection, notice["id"], only=box_id)
                sent.add(notice["id"])
        for deal in deal_rules.current(connection, building["residence_id"]):
            if deal["id"] not in sent:
                deal_published(connection, deal["id"], only=box_id)
                sent.add(deal["id"])
        for partner in partner_rules.directory(connection, building):
            if partner["id"] not in sent:
                partner_published(connection, partner["id"], only=box_id)
                sent.add(partner["id"])
    _board_for_box(connection, box_id, building_ids)
    _events_for_box(connection, box_id, building_ids)


def _shown_by(connection: Connection, table: Table, building_ids: list[str]) -> ColumnElement:
    """Return the condition on posts or events that a box of these buildings shows: its
    buildings' own, and its residences' ones."""
    residence_ids = list(
        connection.execute(
            select(buildings.c.residence_id).where(buildings.c.id.in_(building_ids)).distinct()
        ).scalars()
    )
    return or_(
        table.c.building_id.in_(building_ids),
        and_(table.c.scope == "residence", table.c.residence_id.in_(residence_ids)),
    )


def _board_for_box(connection: Connection, box_id: str, building_ids: list[str]) -> None:
    """At the hub, send a box its buildings' posts and its residences' ones, with their
    answers, thanks and what is hidden: a box replaced finds its noticeboard again."""
    reaching = _shown_by(connection, posts, building_ids)
    for post_id in list(
        connection.execute(
            select(posts.c.id).where(reaching).order_by(posts.c.created_at)
        ).scalars()
    ):
        published = board_messages.post_body(connection, post_id)
        told: list[Body] = []
        if published.post.photo_id:
            told.append(photo_added(connection, published.post.photo_id))
        told.append(published)
        comments = connection.execute(
            select(post_comments.c.id, post_comments.c.hidden_at, post_comments.c.hidden_by)
            .where(post_comments.c.post_id == post_id)
            .order_by(post_comments.c.created_at)
        ).all()
        told += [board_messages.comment_body(connection, comment.id) for comment in comments]
        told += [
            board_messages.thanks(post_id, reaction.reactor_id, True, reaction.created_at)
            for reaction in connection.execute(
                select(post_reactions).where(post_reactions.c.post_id == post_id)
            )
        ]
        post = connection.execute(
            select(posts.c.hidden_at, posts.c.hidden_by).where(posts.c.id == post_id)
        ).one()
        hidden = [("post", post_id, post)] + [("comment", c.id, c) for c in comments]
        told += [
            board_messages.moderation(post_id, kind, item_id, row.hidden_at, row.hidden_by)
            for kind, item_id, row in hidden
            if row.hidden_at is not None
        ]
        for message in told:
            to_boxes_of(connection, building_ids, message, post_id, only=box_id)


def _events_for_box(connection: Connection, box_id: str, building_ids: list[str]) -> None:
    """At the hub, send a box the events of its buildings and residences that have not
    ended, with their replies."""
    reaching = _shown_by(connection, events, building_ids)
    for event_id in list(
        connection.execute(
            select(events.c.id)
            .where(reaching, events.c.ends_at > utcnow())
            .order_by(events.c.starts_at)
        ).scalars()
    ):
        to_boxes_of(
            connection,
            building_ids,
            event_messages.event_body(connection, event_id),
            event_id,
            only=box_id,
        )
        for reply in connection.execute(
            select(event_rsvps).where(event_rsvps.c.event_id == event_id)
        ).mappings():
            told = event_messages.reply(
                event_id, reply["profile_id"], reply["people"], reply["created_at"]
            )
            to_boxes_of(connection, building_ids, told, event_id, only=box_id)


def hub(connection: Connection) -> None:
    """On a box just linked, send the hub the open reports filed before, with what followed."""
    open_reports = connection.execute(
        select(reports.c.id).where(reports.c.status.in_(rs.OPEN)).order_by(reports.c.created_at)
    ).scalars()
    for report_id in list(open_reports):
        report_filed(connection, report_id)
        for message_id in connection.execute(
            select(report_messages.c.id)
            .where(
                report_messages.c.report_id == report_id,
                report_messages.c.author_kind == "tenant",
            )
            .order_by(report_messages.c.created_at)
        ).scalars():
            tenant_message(connection, message_id)
        for supporter in connection.execute(
            select(report_supporters).where(report_supporters.c.report_id == report_id)
        ).mappings():
            report_supported(
                connection, report_id, supporter["dwelling_id"], supporter["created_at"]
            )
