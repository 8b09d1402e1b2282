"""The video rooms of events: the mediator's workshop, the residents' committee…

An event's organiser may hold it also in a video room of the box. The room opens a
quarter of an hour before the start, so that people can try their camera and settle,
and closes at the end: the rooms process sends everyone out then (its ticket says until
when). The room lives on the box of the building that organises the event: a
residence's event handed to other boxes shows there that its room cannot be reached
from their network, where the box's rooms are.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from core.domain import events
from core.domain.errors import N_, DomainError, NotFound
from core.storage.schema import buildings
from core.storage.schema import events as events_table

OPENS_BEFORE = timedelta(minutes=15)
PREFIX = "event-"


def room_id(event_id: str) -> str:
    """The id of an event's video room."""
    return f"{PREFIX}{event_id}"


def opens_at(event: dict[str, Any]) -> datetime:
    """When people may start entering the event's room."""
    return event["starts_at"] - OPENS_BEFORE


def state(connection: Connection, event: dict[str, Any], now: datetime) -> str | None:
    """Where an event's video room stands now: None (it has none), "elsewhere" (held on
    another box), "cancelled", "soon", "open" or "over"."""
    if not event["video_room"]:
        return None
    if not _hosted_here(connection, event["building_id"]):
        return "elsewhere"
    if event["cancelled_at"] is not None:
        return "cancelled"
    if now < opens_at(event):
        return "soon"
    return "open" if now < event["ends_at"] else "over"


def _hosted_here(connection: Connection, building_id: str) -> bool:
    found = connection.execute(select(buildings.c.id).where(buildings.c.id == building_id))
    return found.first() is not None


def open_now(
    connection: Connection, building_ids: list[str], residence_ids: list[str], now: datetime
) -> list[dict[str, Any]]:
    """The events of this box whose room is open now, that reach these buildings (their
    own events) or these residences (the residences' events), soonest first."""
    reaching = or_(
        events_table.c.building_id.in_(building_ids),
        and_(events_table.c.scope == "residence", events_table.c.residence_id.in_(residence_ids)),
    )
    rows = connection.execute(
        select(events_table)
        .join(buildings, buildings.c.id == events_table.c.building_id)
        .where(
            reaching,
            events_table.c.video_room.is_(True),
            events_table.c.cancelled_at.is_(None),
            events_table.c.starts_at <= now + OPENS_BEFORE,
            events_table.c.ends_at > now,
        )
        .order_by(events_table.c.starts_at, events_table.c.title)
    ).mappings()
    return [dict(row) for row in rows]


def event_of(connection: Connection, building: dict[str, Any], room: str) -> dict[str, Any]:
    """The event whose room this is, if it reaches the building and has a room here;
    NotFound otherwise, as for a room that does not exist."""
    unknown = NotFound("room_unknown", N_("This room does not exist."))
    if not room.startswith(PREFIX):
        raise unknown
    try:
        event = events.get(connection, building, room.removeprefix(PREFIX))
    except NotFound:
        raise unknown from None
    if not event["video_room"] or not _hosted_here(connection, event["building_id"]):
        raise unknown
    return event


def event_in(connection: Connection, building_ids: list[str], room: str) -> dict[str, Any]:
    """The event whose room this is, if it was organised in one of these buildings (a
    caretaker's, a mediator's); NotFound otherwise."""
    event = None
    if room.startswith(PREFIX):
        event = (
            connection.execute(
                select(events_table).where(
                    events_table.c.id == room.removeprefix(PREFIX),
                    events_table.c.building_id.in_(building_ids),
                    events_table.c.video_room.is_(True),
                )
            )
            .mappings()
            .first()
        )
    if event is None:
        raise NotFound("room_unknown", N_("This room does not exist."))
    return dict(event)


_SHUT = {
    "soon": N_("This room opens a quarter of an hour before the event starts. Come back then."),
    "over": N_("The event is over: its video room is closed."),
    "cancelled": N_("The event is cancelled: its video room is closed."),
}


def may_enter(connection: Connection, event: dict[str, Any], now: datetime) -> None:
    """Refuse, saying why, while the event's room is not open."""
    shut = state(connection, event, now)
    if shut in _SHUT:
        raise DomainError(f"room_{shut}", _SHUT[shut])
