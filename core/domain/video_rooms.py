"""Video rooms between neighbours: which rooms there are and who may enter them.

Each building has an always-open neighbours' room, the "Café des voisins", for its
tenants; a call between two households is a room of its own (core/domain/calls.py).
The rooms process knows who is in a room now; this module knows who may be: the web
service asks it before signing a ticket (core/domain/room_tickets.py). Entering
follows the charter of the noticeboard: accepted once, and not while a caretaker has
suspended the person. Nothing said or shown in a room is ever recorded.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from core.domain import calls, charter, estate
from core.domain.errors import N_, NotFound

NEIGHBOURS = "neighbours"
CALL = "call"


def neighbours_room(building_id: str) -> str:
    """The id of a building's neighbours' room."""
    return f"{NEIGHBOURS}-{building_id}"


Present = dict[str, list[dict[str, str]]]


def _room(building_id: str, building_name: str, present: Present | None) -> dict[str, Any]:
    room_id = neighbours_room(building_id)
    people = (present or {}).get(room_id, [])
    return {
        "id": room_id,
        "kind": NEIGHBOURS,
        "building_id": building_id,
        "building_name": building_name,
        "people": [person["name"] for person in people],
        "present": people,
    }


def rooms_of(profile: dict[str, Any], present: Present | None = None) -> list[dict[str, Any]]:
    """The rooms this signed-in tenant may enter, each with who is in it now (``present``,
    from core/domain/room_presence.py)."""
    return [_room(profile["building_id"], profile["building_name"], present)]


def rooms_of_buildings(
    connection: Connection, building_ids: list[str], present: Present
) -> list[dict[str, Any]]:
    """The rooms of these buildings (a caretaker's, a mediator's), with who is in them."""
    return [
        _room(building["id"], building["name"], present)
        for building in estate.list_buildings(connection, building_ids)
    ]


def live(profile: dict[str, Any], present: Present) -> list[dict[str, Any]]:
    """The rooms of this tenant where someone is now."""
    return [room for room in rooms_of(profile, present) if room["people"]]


def room_for(
    connection: Connection, profile: dict[str, Any], room_id: str, present: Present | None = None
) -> dict[str, Any]:
    """The room, if this tenant may see it: their building's, or a call of theirs;
    NotFound otherwise (another building's room is not told apart from one that does not
    exist)."""
    if room_id.startswith(calls.ROOM_PREFIX):
        call = calls.get(connection, profile, room_id.removeprefix(calls.ROOM_PREFIX))
        people = (present or {}).get(room_id, [])
        return {
            "id": room_id,
            "kind": CALL,
            "call": call,
            "other_name": call["other_name"],
            "people": [person["name"] for person in people],
            "present": people,
        }
    for room in rooms_of(profile, present):
        if room["id"] == room_id:
            return room
    raise NotFound("room_unknown", N_("This room does not exist."))


def may_enter(connection: Connection, profile: dict[str, Any], room_id: str) -> dict[str, Any]:
    """The room, once the tenant may enter it now: their room (for a call: while it
    rings, for the caller, or once accepted), the charter accepted and no suspension."""
    room = room_for(connection, profile, room_id)
    if room["kind"] == CALL:
        calls.may_enter(connection, profile, room["call"]["id"])
    charter.may_write(connection, profile)
    return room
