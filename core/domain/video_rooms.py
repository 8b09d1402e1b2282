"""Video rooms between neighbours: which rooms there are and who may enter them.

Each building has an always-open neighbours' room, the "Café des voisins", for its
tenants; an event may have a room, open around its time (core/domain/event_rooms.py);
a call between two households is a room of its own (core/domain/calls.py).
The rooms process knows who is in a room now; this module knows who may be: the web
service asks it before signing a ticket (core/domain/room_tickets.py). Entering
follows the charter of the noticeboard: accepted once, and not while a caretaker has
suspended the person. Nothing said or shown in a room is ever recorded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from core.domain import calls, charter, estate, event_rooms, events
from core.domain.clock import utcnow
from core.domain.errors import N_, NotFound

NEIGHBOURS = "neighbours"
EVENT = "event"
CALL = "call"


def neighbours_room(building_id: str) -> str:
    """The id of a building's neighbours' room."""
    return f"{NEIGHBOURS}-{building_id}"


Present = dict[str, list[dict[str, str]]]


def _described(room_id: str, kind: str, present: Present | None, **about: Any) -> dict[str, Any]:
    """A room as the pages show it: what it is, and who is in it now."""
    people = (present or {}).get(room_id, [])
    return {
        "id": room_id,
        "kind": kind,
        **about,
        "people": [person["name"] for person in people],
        "present": people,
    }


def _room(building_id: str, building_name: str, present: Present | None) -> dict[str, Any]:
    return _described(
        neighbours_room(building_id),
        NEIGHBOURS,
        present,
        building_id=building_id,
        building_name=building_name,
    )


def _event_room(event: dict[str, Any], present: Present | None) -> dict[str, Any]:
    return _described(
        event_rooms.room_id(event["id"]),
        EVENT,
        present,
        event=event,
        building_id=event["building_id"],
    )


def rooms_of(
    connection: Connection, profile: dict[str, Any], present: Present | None = None
) -> list[dict[str, Any]]:
    """The rooms this signed-in tenant may enter now, each with who is in it now
    (``present``, from core/domain/room_presence.py): their building's, then those of
    the events open now."""
    opened = event_rooms.open_now(
        connection, [profile["building_id"]], [profile["residence_id"]], utcnow()
    )
    return [_room(profile["building_id"], profile["building_name"], present)] + [
        _event_room(event, present) for event in opened
    ]


def rooms_of_buildings(
    connection: Connection, building_ids: list[str], present: Present
) -> list[dict[str, Any]]:
    """The rooms of these buildings (a caretaker's, a mediator's) open now, with who is
    in them: the neighbours' rooms, then those of the events organised there."""
    opened = event_rooms.open_now(connection, building_ids, [], utcnow())
    return [
        _room(building["id"], building["name"], present)
        for building in estate.list_buildings(connection, building_ids)
    ] + [_event_room(event, present) for event in opened]


def event_room_of_buildings(
    connection: Connection, building_ids: list[str], room_id: str
) -> dict[str, Any]:
    """The room of an event organised in one of these buildings, open or not (for the
    caretaker or mediator who holds it); NotFound otherwise."""
    return _event_room(event_rooms.event_in(connection, building_ids, room_id), None)


def live(connection: Connection, profile: dict[str, Any], present: Present) -> list[dict[str, Any]]:
    """The rooms of this tenant where someone is now. Asked on every home page: the
    events are read only when someone is in an event's room somewhere on the box."""
    if any(room_id.startswith(event_rooms.PREFIX) for room_id in present):
        rooms = rooms_of(connection, profile, present)
    else:
        rooms = [_room(profile["building_id"], profile["building_name"], present)]
    return [room for room in rooms if room["people"]]


def room_for(
    connection: Connection, profile: dict[str, Any], room_id: str, present: Present | None = None
) -> dict[str, Any]:
    """The room, if this tenant may see it: their building's, an event's that reaches
    them (open or not), or a call of theirs; NotFound otherwise (another building's room
    is not told apart from one that does not exist)."""
    if room_id.startswith(calls.ROOM_PREFIX):
        call = calls.get(connection, profile, room_id.removeprefix(calls.ROOM_PREFIX))
        return _described(room_id, CALL, present, call=call, other_name=call["other_name"])
    if room_id.startswith(event_rooms.PREFIX):
        event = event_rooms.event_of(connection, events.building_of(profile), room_id)
        return _event_room(event, present)
    if room_id == neighbours_room(profile["building_id"]):
        return _room(profile["building_id"], profile["building_name"], present)
    raise NotFound("room_unknown", N_("This room does not exist."))


def may_enter(connection: Connection, profile: dict[str, Any], room_id: str) -> dict[str, Any]:
    """The room, once the tenant may enter it now: their room (for a call: while it
    rings, for the caller, or once accepted; for an event: while its room is open), the
    charter accepted and no suspension."""
    room = room_for(connection, profile, room_id)
    if room["kind"] == CALL:
        calls.may_enter(connection, profile, room["call"]["id"])
    if room["kind"] == EVENT:
        event_rooms.may_enter(connection, room["event"], utcnow())
    charter.may_write(connection, profile)
    return room


def open_until(room: dict[str, Any]) -> datetime | None:
    """When the rooms process sends everyone out of this room: an event's end; None for
    the rooms that stay open."""
    return room["event"]["ends_at"] if room["kind"] == EVENT else None
