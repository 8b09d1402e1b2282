"""Partners' services near the estate: where to go, when, and what they do, in simple
words — social services, the family allowance office, health centres, associations,
digital-help sessions. Kept at the hub for a district or a city; each box shows those
that reach its buildings.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, select

from core.domain import copies, publishing, scope, text_versions, typed_text
from core.domain.clock import utcnow
from core.domain.errors import N_, DomainError, FieldChecks
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


def _kept(
    field: str, limit: int, missing: str | None = None, one_line: bool = True
) -> text_versions.Check:
    """Return the check of one of the service's fields: as long as its column (longer is
    refused, never cut), on one line unless said otherwise, there when ``missing`` says
    why it must be."""

    def check(typed: str | None, name: str = field) -> str:
        text = typed_text.plain(typed or "", name, one_line=one_line)
        if len(text) > limit:
            raise DomainError(f"{name}_long", typed_text.TEXT_LONG, name, count=limit)
        if not text and missing is not None:
            raise DomainError(f"{name}_missing", missing, name)
        return text

    return check


_CHECKS = {
    "name": _kept("name", 140, N_("Give the name of the service.")),
    "description": _kept(
        "description", 3000, N_("Say in simple words what they do."), one_line=False
    ),
    "address": _kept("address", 200),
    "phone": _kept("phone", 40),
    "opening_hours": _kept("opening_hours", 1000, one_line=False),
}
# What is written for tenants to read; a name, an address and a phone number are what
# they are in every language.
_TEXTS = {name: _CHECKS[name] for name in ("description", "opening_hours")}


def _checked(fields: dict[str, Any], before: dict[str, Any] | None) -> dict[str, Any]:
    checks = FieldChecks()
    row = {
        name: checks.check(lambda c=check, n=name: c(fields.get(n)))
        for name, check in _CHECKS.items()
    }
    row["category"] = fields.get("category") or ""
    if row["category"] not in CATEGORIES:
        checks.refuse(
            DomainError("category_unknown", N_("Choose what kind of service."), "category")
        )
    row["scope_kind"] = fields.get("scope_kind") or ""
    row["scope_ref"] = fields.get("scope_ref") or ""
    checks.check(lambda: scope.check(row["scope_kind"], row["scope_ref"]))
    checks.done()
    return row | {"updated_at": utcnow()}


PUBLICATION = publishing.Kind(
    name="partner",
    verbs=("partner.add", "partner.change", "partner.remove"),
    table=partners,
    missing=("partner_not_found", N_("This service is not in the directory.")),
    checked=_checked,
    reach=publishing.ScopeReach(link_messages.partner_withdrawn),
    published=link_messages.partner_published,
    label="name",
    texts=_TEXTS,
)


def add(connection: Connection, actor_staff_id: str | None, **fields: Any) -> str:
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
