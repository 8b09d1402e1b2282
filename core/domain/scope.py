"""Who a news item or a works notice reaches: one building, a residence, a district, a city.

A scope is a kind and a reference: a building's or a residence's id, or the name of a
district or a city as residences spell it. An item reaches every building its scope
contains.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, ColumnElement, Connection, and_, false, or_, select

from core.domain.errors import N_, DomainError
from core.storage.schema import buildings, residences

SCOPES = ("building", "residence", "district", "city")
SCOPE_LABELS = {
    "building": N_("This building"),
    "residence": N_("The residence"),
    "district": N_("The district"),
    "city": N_("The city"),
}


def check(scope_kind: str, scope_ref: str) -> None:
    """Refuse a scope that names no place."""
    if scope_kind not in SCOPES or not scope_ref:
        raise DomainError("scope_unknown", N_("Choose who will see it."), "scope")


def covers(kind: Column, ref: Column, building: dict[str, Any]) -> ColumnElement[bool]:
    """Return the condition that rows with these scope columns reach ``building``.

    ``building`` carries its residence, district and city (``estate.list_buildings``).
    """
    return or_(
        and_(kind == "building", ref == building["id"]),
        and_(kind == "residence", ref == building["residence_id"]),
        and_(kind == "district", ref == building["district"]),
        and_(kind == "city", ref == building["city"]),
    )


def reaches_any(kind: Column, ref: Column, buildings: list[dict[str, Any]]) -> ColumnElement[bool]:
    """Return the condition that rows with these scope columns reach one of ``buildings``."""
    return or_(false(), *(covers(kind, ref, building) for building in buildings))


def buildings_in(connection: Connection, scope_kind: str, scope_ref: str) -> list[str]:
    """Return the ids of the buildings a scope contains."""
    column = {
        "building": buildings.c.id,
        "residence": residences.c.id,
        "district": residences.c.district,
        "city": residences.c.city,
    }[scope_kind]
    return list(
        connection.execute(
            select(buildings.c.id).join(residences).where(column == scope_ref)
        ).scalars()
    )


def named(connection: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add ``scope_name`` to rows with a scope: the building's or residence's name, or the
    district's or city's, which is its reference."""
    wanted = {
        kind: {r["scope_ref"] for r in rows if r["scope_kind"] == kind}
        for kind in ("building", "residence")
    }
    names = {
        ("building", row.id): row.name
        for row in connection.execute(
            select(buildings.c.id, buildings.c.name).where(buildings.c.id.in_(wanted["building"]))
        )
    } | {
        ("residence", row.id): row.name
        for row in connection.execute(
            select(residences.c.id, residences.c.name).where(
                residences.c.id.in_(wanted["residence"])
            )
        )
    }
    return [
        {**row, "scope_name": names.get((row["scope_kind"], row["scope_ref"]), row["scope_ref"])}
        for row in rows
    ]
