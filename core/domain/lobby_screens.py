"""Screens in a building's entrance hall, showing the lobby page to everyone who passes.

A caretaker (or the landlord's agent) makes one for a screen of their building: the
screen's address holds a key, shown once, which the screen keeps as a cookie after its
first visit. Only the key's digest is kept here. Revoking a screen — stolen, replaced,
its address copied — ends what that key shows at the screen's next refresh. What the
page shows is public-safe whatever the key (core/domain/lobby.py): a copied address
lets nobody read anything a passer-by could not.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, select, update

from core.domain import audit, staff_buildings, typed_text
from core.domain.clock import new_id, utcnow
from core.domain.errors import N_, NotFound
from core.storage.schema import buildings, lobby_screens

KEY_BYTES = 24
# A screen is written as seen at most this often: its page comes back every few minutes.
SEEN_EVERY = timedelta(minutes=10)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create(
    connection: Connection, member: dict[str, Any], building_id: str, name: str
) -> tuple[str, str]:
    """Make a screen for one of the member's buildings; return its id and its key, which
    is never shown again."""
    building = staff_buildings.chosen_building(connection, member, building_id)
    name = typed_text.line(name, "name", 80, N_("Say where the screen is."))
    key = secrets.token_urlsafe(KEY_BYTES)
    screen_id = new_id()
    connection.execute(
        lobby_screens.insert().values(
            id=screen_id,
            building_id=building["id"],
            name=name,
            key_digest=_digest(key),
            created_by_staff_id=member["id"],
            created_at=utcnow(),
        )
    )
    audit.record(connection, member["id"], "lobby.create", f"building:{building['id']}", name=name)
    return screen_id, key


def of_buildings(connection: Connection, building_ids: list[str]) -> list[dict[str, Any]]:
    """The screens of these buildings still in use, by building then name."""
    rows = connection.execute(
        select(lobby_screens, buildings.c.name.label("building_name"))
        .join(buildings, buildings.c.id == lobby_screens.c.building_id)
        .where(lobby_screens.c.building_id.in_(building_ids), lobby_screens.c.revoked_at.is_(None))
        .order_by(buildings.c.name, lobby_screens.c.name)
    ).mappings()
    return [dict(row) for row in rows]


def revoke(connection: Connection, member: dict[str, Any], screen_id: str) -> dict[str, Any]:
    """Stop a screen of the member's buildings from showing anything; return it."""
    screen = next(
        (s for s in of_buildings(connection, member["building_ids"]) if s["id"] == screen_id), None
    )
    if screen is None:
        raise NotFound("screen_not_found", N_("This screen does not exist."))
    connection.execute(
        update(lobby_screens).where(lobby_screens.c.id == screen_id).values(revoked_at=utcnow())
    )
    audit.record(
        connection,
        member["id"],
        "lobby.revoke",
        f"building:{screen['building_id']}",
        name=screen["name"],
    )
    return screen


def shown_on(connection: Connection, building_id: str, key: str) -> dict[str, Any] | None:
    """The screen this key belongs to, if it is one of this building's still in use."""
    screen = (
        connection.execute(
            select(lobby_screens).where(
                lobby_screens.c.key_digest == _digest(key),
                lobby_screens.c.building_id == building_id,
                lobby_screens.c.revoked_at.is_(None),
            )
        )
        .mappings()
        .first()
    )
    if screen is None:
        return None
    now = utcnow()
    if screen["last_seen_at"] is None or now - screen["last_seen_at"] > SEEN_EVERY:
        connection.execute(
            update(lobby_screens).where(lobby_screens.c.id == screen["id"]).values(last_seen_at=now)
        )
    return dict(screen)
