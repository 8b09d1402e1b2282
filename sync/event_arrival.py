"""Copies of the estate's events arriving over the link, the same at the hub and on a box.

An event comes whole, again whenever it changes or is cancelled; a reply says how many
people come (0: no longer). On a box, the residents who said they would come are told
when an event they joined changes, as when its organiser changes it on their own box.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, select, update

from core.domain import events as event_rules
from core.storage.schema import event_rsvps, events
from sync import board_arrival, values
from sync.envelope import Refused

# What makes a change worth telling the people who come.
_NOTEWORTHY = ("place", "starts_at", "ends_at", "cancelled_at")


def event_of(connection: Connection, body: dict[str, Any]) -> dict[str, Any]:
    """Return the event a message is about (its scope, residence and building)."""
    event_id = (
        values.text(values.obj(body, "event"), "id", 32)
        if "event" in body
        else values.text(body, "event_id", 32)
    )
    return board_arrival.known(connection, events, event_id)


def event_published(connection: Connection, body: dict[str, Any]) -> None:
    event = values.obj(body, "event")
    event_id = values.text(event, "id", 32)
    scope = values.text(event, "scope", 20)
    if scope not in event_rules.SCOPES:
        raise Refused(f"scope {scope!r} is unknown")
    capacity = event.get("capacity")
    if capacity is not None and (isinstance(capacity, bool) or not isinstance(capacity, int)):
        raise Refused("capacity: a whole number or null is expected")
    row = {
        "scope": scope,
        "residence_id": values.text(event, "residence_id", 32),
        "building_id": values.text(event, "building_id", 32),
        "title": values.text(event, "title", 140),
        "description": values.text(event, "description", 5000) or "",
        "place": values.text(event, "place", 140),
        "starts_at": values.moment(event, "starts_at"),
        "ends_at": values.moment(event, "ends_at"),
        "organiser": values.text(event, "organiser", 120),
        "capacity": capacity,
        "created_at": values.moment(event, "created_at"),
        "updated_at": values.moment(event, "updated_at"),
        "cancelled_at": values.moment(event, "cancelled_at", optional=True),
    }
    before = connection.execute(select(events).where(events.c.id == event_id)).mappings().first()
    if before is None:
        connection.execute(events.insert().values(id=event_id, **row))
        return
    connection.execute(update(events).where(events.c.id == event_id).values(**row))
    if any(before[key] != row[key] for key in _NOTEWORTHY):
        change = "cancelled" if row["cancelled_at"] is not None else "changed"
        event_rules.tell_attendees(connection, event_id, row["title"], change)


def event_replied(connection: Connection, body: dict[str, Any]) -> None:
    event_id = event_of(connection, body)["id"]
    profile_id = values.text(body, "profile_id", 32)
    people = values.integer(body, "people")
    if not 0 <= people <= event_rules.MAX_PEOPLE_PER_REPLY:
        raise Refused(f"people: {people} is out of range")
    connection.execute(
        delete(event_rsvps).where(
            event_rsvps.c.event_id == event_id, event_rsvps.c.profile_id == profile_id
        )
    )
    if people:
        connection.execute(
            event_rsvps.insert().values(
                event_id=event_id,
                profile_id=profile_id,
                people=people,
                created_at=values.moment(body, "at"),
            )
        )


APPLY = {"event.published": event_published, "event.replied": event_replied}
