"""The digital mediator's first-steps sessions: workshops where tenants far from digital
tools learn to use the portal, to call their family by video…

A session is an event of the estate's calendar that a staff member organises in one of
their buildings, for its tenants or the whole residence: tenants read it and say they
come like any event. Here are the staff member's side of it, written in the audit log,
and the sessions they organise, and only theirs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from core.domain import audit, events, staff_buildings
from core.domain.errors import N_, FieldChecks, NotFound

# Enough on the home page to see the coming days; the sessions page shows them all.
NEXT_ON_HOME = 3


def organise(
    connection: Connection,
    member: dict[str, Any],
    building_id: str,
    scope: str,
    title: str,
    description: str,
    place: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    capacity: int | None = None,
    organiser_name: str = "",
    checks: FieldChecks | None = None,
    video_room: bool = False,
) -> str:
    """Put a session in the calendar of one of the member's buildings; return its id.

    ``checks``: what the form refused already, listed with the rest.
    """
    building = staff_buildings.chosen_building(connection, member, building_id)
    event_id = events.organise(
        connection,
        member,
        building,
        scope,
        title,
        description,
        place,
        starts_at,
        ends_at,
        capacity,
        organiser_name,
        checks,
        video_room,
    )
    audit.record(connection, member["id"], "session.organise", f"event:{event_id}", title=title)
    return event_id


def upcoming(
    connection: Connection, member: dict[str, Any], limit: int | None = None
) -> list[dict[str, Any]]:
    """Return the sessions the member organises that are neither over nor cancelled,
    soonest first, with how many come and the places left."""
    return events.organised_by_staff(connection, member["id"], limit)


def get(connection: Connection, member: dict[str, Any], event_id: str) -> dict[str, Any]:
    """Return a session the member organises; anybody else's is as if it did not exist."""
    for session in upcoming(connection, member):
        if session["id"] == event_id:
            return session
    raise NotFound("session_not_found", N_("This session does not exist, or is over."))


def change(
    connection: Connection,
    member: dict[str, Any],
    event_id: str,
    title: str,
    description: str,
    place: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    capacity: int | None = None,
    checks: FieldChecks | None = None,
    video_room: bool = False,
) -> None:
    """Change a session the member organises; those who said they come are told."""
    session = get(connection, member, event_id)
    events.change(
        connection,
        member,
        events.building_of(session),
        event_id,
        title,
        description,
        place,
        starts_at,
        ends_at,
        capacity,
        checks,
        video_room,
    )
    audit.record(connection, member["id"], "session.change", f"event:{event_id}", title=title)


def cancel(connection: Connection, member: dict[str, Any], event_id: str) -> None:
    """Cancel a session the member organises; those who said they come are told."""
    session = get(connection, member, event_id)
    events.cancel(connection, member, events.building_of(session), event_id)
    audit.record(
        connection, member["id"], "session.cancel", f"event:{event_id}", title=session["title"]
    )
