"""Partners' services near the estate: where to go, when, and what they do, in simple
words — social services, the family allowance office, health centres, associations,
digital-help sessions. Kept at the hub for a district or a city; each box shows those
that reach its buildings.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, select, update

from core.domain import audit, copies, scope, typed_text
from core.domain.clock import new_id, utcnow
from core.domain.errors import N_, DomainError, NotFound
from core.messages import publications as link_messages
from core.storage.schema import partners

CATEGORIES: dict[str, str] = {
    "social": N_("Social services"),
    "family": N_("Family allowances and benefits"),
    "health": N_("Health"),
    "association": N_("Associations"),
    "digital": N_("Help with computers and online forms"),
    "employment": N_("Work and training"),
    "other": N_("Other services"),
}


# The fields written on several lines; the others are one line each.
_SEVERAL_LINES = {"description", "opening_hours"}
# As long as their columns: longer is refused, never cut.
_LONGEST = {"name": 140, "description": 3000, "address": 200, "phone": 40, "opening_hours": 1000}


def _checked(fields: dict[str, str]) -> dict[str, str]:
    cleaned = {
        name: typed_text.plain(value, name, one_line=name not in _SEVERAL_LINES)
        for name, value in fields.items()
    }
    for name, limit in _LONGEST.items():
        if len(cleaned.get(name, "")) > limit:
            raise DomainError(f"{name}_long", typed_text.TEXT_LONG, name, count=limit)
    if not cleaned["name"]:
        raise DomainError("name_missing", N_("Give the name of the service."), "name")
    if cleaned["category"] not in CATEGORIES:
        raise DomainError("category_unknown", N_("Choose what kind of service."), "category")
    if not cleaned["description"]:
        raise DomainError(
            "description_missing", N_("Say in simple words what they do."), "description"
        )
    scope.check(cleaned["scope_kind"], cleaned["scope_ref"])
    return {
        "name": cleaned["name"],
        "category": cleaned["category"],
        "description": cleaned["description"],
        "address": cleaned["address"],
        "phone": cleaned["phone"],
        "opening_hours": cleaned["opening_hours"],
        "scope_kind": cleaned["scope_kind"],
        "scope_ref": cleaned["scope_ref"],
    }


def add(connection: Connection, actor_staff_id: str | None, **fields: str) -> str:
    """Add a service to the directory of its district or city; return its id (audited)."""
    row = _checked(fields)
    partner_id = new_id()
    connection.execute(partners.insert().values(id=partner_id, updated_at=utcnow(), **row))
    if actor_staff_id is not None:
        audit.record(
            connection, actor_staff_id, "partner.add", f"partner:{partner_id}", name=row["name"]
        )
    link_messages.partner_published(connection, partner_id)
    return partner_id


def keep_copy(connection: Connection, partner_id: str, fields: dict[str, Any]) -> None:
    """Keep a service the hub sent, or replace it (a change made at the hub comes with the
    same id)."""
    copies.keep(connection, partners, partner_id, fields)


def drop_copy(connection: Connection, partner_id: str) -> None:
    """Forget a service the hub withdrew from this box (nothing if it is not here)."""
    connection.execute(delete(partners).where(partners.c.id == partner_id))


def get(connection: Connection, partner_id: str) -> dict[str, Any]:
    """Return one service of the directory."""
    row = connection.execute(select(partners).where(partners.c.id == partner_id)).mappings()
    found = row.first()
    if found is None:
        raise NotFound("partner_not_found", N_("This service is not in the directory."))
    return dict(found)


def change(connection: Connection, partner_id: str, actor_staff_id: str, **fields: str) -> None:
    """Change a service; boxes no longer in its scope take it down (audited)."""
    before = get(connection, partner_id)
    row = _checked(fields)
    if (before["scope_kind"], before["scope_ref"]) != (row["scope_kind"], row["scope_ref"]):
        link_messages.partner_withdrawn(
            connection,
            partner_id,
            before["scope_kind"],
            before["scope_ref"],
            keep=(row["scope_kind"], row["scope_ref"]),
        )
    connection.execute(
        update(partners).where(partners.c.id == partner_id).values(updated_at=utcnow(), **row)
    )
    audit.record(
        connection, actor_staff_id, "partner.change", f"partner:{partner_id}", name=row["name"]
    )
    link_messages.partner_published(connection, partner_id)


def remove(connection: Connection, partner_id: str, actor_staff_id: str) -> None:
    """Take a service out of the directory, everywhere (audited)."""
    before = get(connection, partner_id)
    link_messages.partner_withdrawn(
        connection, partner_id, before["scope_kind"], before["scope_ref"]
    )
    connection.execute(delete(partners).where(partners.c.id == partner_id))
    audit.record(
        connection, actor_staff_id, "partner.remove", f"partner:{partner_id}", name=before["name"]
    )


def directory(connection: Connection, building: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the services that reach a building, by kind then name."""
    rows = connection.execute(
        select(partners)
        .where(scope.covers(partners.c.scope_kind, partners.c.scope_ref, building))
        .order_by(partners.c.category, partners.c.name)
    ).mappings()
    return [dict(row) for row in rows]


def all_reaching(connection: Connection, buildings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the services that reach any of these buildings (the staff's directory)."""
    rows = connection.execute(
        select(partners)
        .where(scope.reaches_any(partners.c.scope_kind, partners.c.scope_ref, buildings))
        .order_by(partners.c.category, partners.c.name)
    ).mappings()
    return scope.named(connection, [dict(row) for row in rows])
