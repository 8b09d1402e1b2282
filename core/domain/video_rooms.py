"""Video rooms between neighbours: which rooms there are and who may enter them.

Each building has an always-open neighbours' room, the "Café des voisins", for its
tenants. The rooms process knows who is in a room now; this module knows who may be:
the web service asks it before signing a ticket (core/domain/room_tickets.py). Entering
follows the charter of the noticeboard: accepted once, and not while a caretaker has
suspended the person. Nothing said or shown in a room is ever recorded.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from core.domain import charter
from core.domain.errors import N_, NotFound

NEIGHBOURS = "neighbours"


def neighbours_room(building_id: str) -> str:
    """The id of a building's neighbours' room."""
    return f"{NEIGHBOURS}-{building_id}"


def rooms_of(
    profile: dict[str, Any], present: dict[str, list[str]] | None = None
) -> list[dict[str, Any]]:
    """The rooms this signed-in tenant may enter, each with who is in it now (``present``,
    from core/domain/room_presence.py)."""
    room_id = neighbours_room(profile["building_id"])
    return [
        {
            "id": room_id,
            "kind": NEIGHBOURS,
            "building_name": profile["building_name"],
            "people": (present or {}).get(room_id, []),
        }
    ]


def live(profile: dict[str, Any], present: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The rooms of this tenant where someone is now."""
    return [room for room in rooms_of(profile, present) if room["people"]]


def room_for(
    profile: dict[str, Any], room_id: str, present: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """The room, if this tenant may enter it; NotFound otherwise (another building's
    room is not told apart from one that does not exist)."""
    for room in rooms_of(profile, present):
        if room["id"] == room_id:
            return room
    raise NotFound("room_unknown", N_("This room does not exist."))


def may_enter(connection: Connection, profile: dict[str, Any], room_id: str) -> dict[str, Any]:
    """The room, once the tenant may enter it now: their room, the charter accepted and
    no suspension running."""
    room = room_for(profile, room_id)
    charter.may_write(connection, profile)
    return room
