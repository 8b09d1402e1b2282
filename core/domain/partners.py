"""Partners' services near the estate: where to go, when, and what they do, in simple
words — social services, the family allowance office, health centres, associations,
digital-help sessions. Kept at the hub for a district or a city; each box shows those
that reach its buildings.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, select

from core.domain import copies, publishing, scope, typed_text
from core.domain.clock import utcnow
from core.domain.errors import N_, DomainError
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
_FIELDS = (
    "name",
    "category",
    "description",
    "address",
    "phone",
    "opening_hours",
    "scope_kind",
    "scope_ref",
)
# As long as their columns: longer is refused, never cut.
_LONGEST = {"name": 140, "description": 3000, "address": 200, "phone": 40, "opening_hours": 1000}


def _checked(fields: dict[str, Any], before: dict[str, Any] | None) -> dict[str, Any]:
    cleaned = {
        name: typed_text.plain(fields.get(name) or "", name, one_line=name not in _SEVERAL_LINES)
        for name in _FIELDS
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
        "updated_at": utcnow(),
    }


PUBLICATION = publishing.Kind(
    name="partner",
    verbs=("partner.add", "partner.change", "partner.remove"),
    table=partners,
    missing=("partner_not_found", N_("This service is not in the directory.")),
    checked=_checked,
    reach=publishing.ScopeReach(link_messages.partner_withdrawn),
    published=link_messages.partner_published,
    label="name",
)


def add(connection: Connection, actor_staff_id: str | None, **fields: str) -> str:
    """Add a service to the directory of its district or city; return its id (audited)."""
    return publishing.publish(connection, PUBLICATION, fields, actor_staff_id)


def keep_copy(connection: Connection, partner_id: str, fields: dict[str, Any]) -> None:
    """Keep a service the hub sent, or replace it (a change made at the hub comes with the
    same id)."""
    copies.keep(connection, partners, partner_id, fields)


def drop_copy(connection: Connection, partner_id: str) -> None:
    """Forget a service the hub withdrew from this box (nothing if it is not here)."""
    connection.execute(delete(partners).where(partners.c.id == partner_id))


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
