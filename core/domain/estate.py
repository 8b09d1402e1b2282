"""The estate, on a box or at the hub: residences, their buildings and the dwellings in
them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, func, select

from core.domain import building_codes, typed_text
from core.domain.clock import new_id, utcnow
from core.domain.errors import N_, DomainError, NotFound
from core.storage.schema import access_codes, buildings, dwellings, profiles, residences

MAX_FLOOR = 60


def add_residence(connection: Connection, name: str, district: str, city: str) -> str:
    """Create a residence and return its id."""
    residence_id = new_id()
    connection.execute(
        residences.insert().values(id=residence_id, name=name, district=district, city=city)
    )
    return residence_id


def add_building(connection: Connection, residence_id: str, name: str, address: str = "") -> str:
    """Create a building in a residence, with a code of its own, and return its id."""
    building_id = new_id()
    taken = set(connection.execute(select(buildings.c.code)).scalars())
    connection.execute(
        buildings.insert().values(
            id=building_id,
            residence_id=residence_id,
            name=name,
            address=address,
            code=building_codes.from_name(name, taken),
        )
    )
    return building_id


def add_building_to_residence(
    connection: Connection,
    residence_name: str,
    district: str,
    city: str,
    building_name: str,
    address: str = "",
) -> str:
    """Add a building to the residence of this name, created the first time it is named,
    and return the building's id."""
    # Its messages, like building_ids_by_name's, are not marked for translation: only the
    # command line calls these two, and it speaks English.
    home = _residence_by_name(connection, residence_name)
    # Residence names are unique: the same name in another place is a mistake to correct.
    if home is not None and (home["district"], home["city"]) != (district, city):
        raise DomainError(
            "residence_elsewhere",
            "%(residence)s is in %(district)s, %(city)s: say so, or name another residence",
            "district",
            residence=residence_name,
            district=home["district"],
            city=home["city"],
        )
    # Buildings are found by name in any case, so names differing only in case would clash.
    if building_by_name(connection, building_name) is not None:
        raise DomainError(
            "building_name_taken",
            "a building named %(name)r already exists",
            "building",
            name=building_name,
        )
    if home is None:
        residence_id = add_residence(connection, residence_name, district, city)
    else:
        residence_id = home["id"]
    return add_building(connection, residence_id, building_name, address)


def _residence_by_name(connection: Connection, name: str) -> dict[str, Any] | None:
    row = connection.execute(select(residences).where(residences.c.name == name)).mappings().first()
    return dict(row) if row else None


def residences_among(connection: Connection, residence_ids: list[str]) -> list[str]:
    """Return which of these residences are here."""
    return list(
        connection.execute(
            select(residences.c.id).where(residences.c.id.in_(residence_ids))
        ).scalars()
    )


def building_ids(connection: Connection) -> list[str]:
    """Return the ids of every building on the box."""
    return list(connection.execute(select(buildings.c.id).order_by(buildings.c.name)).scalars())


def list_buildings(connection: Connection, ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Return buildings (all, or those given) with their residence, by name."""
    query = (
        select(
            buildings,
            residences.c.name.label("residence_name"),
            residences.c.district,
            residences.c.city,
        )
        .join(residences)
        .order_by(buildings.c.name)
    )
    if ids is not None:
        query = query.where(buildings.c.id.in_(ids))
    return [dict(row) for row in connection.execute(query).mappings()]


def get_building(connection: Connection, building_id: str) -> dict[str, Any]:
    """Return one building with its residence, district and city."""
    found = list_buildings(connection, [building_id])
    if not found:
        raise NotFound("building_not_found", N_("This building does not exist."))
    return found[0]


def building_by_name(connection: Connection, name: str) -> dict[str, Any] | None:
    """Return the building with this name (any case), or None."""
    row = (
        connection.execute(
            select(buildings).where(func.lower(buildings.c.name) == name.strip().lower())
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def building_ids_by_name(connection: Connection, names: Iterable[str]) -> list[str]:
    """Return the ids of the buildings with these names (any case), in the order given."""
    ids = []
    for name in names:
        found = building_by_name(connection, name)
        if found is None:
            raise NotFound("building_unknown", "no building named %(name)r", "buildings", name=name)
        ids.append(found["id"])
    return ids


def validate_dwelling(reference: str, staircase: str, floor: str | int) -> tuple[str, str, int]:
    """Return the cleaned fields of a dwelling, or explain the first thing wrong."""
    reference = typed_text.line(
        reference,
        "reference",
        40,
        N_("Give the dwelling's reference."),
        N_("The reference is too long (40 characters at most)."),
    )
    staircase = typed_text.line(
        staircase,
        "staircase",
        20,
        long=N_("The staircase is too long (20 characters at most)."),
    )
    try:
        floor_number = int(str(floor).strip())
    except ValueError:
        raise DomainError(
            "floor_not_number", N_("The floor must be a number (0 for the ground floor)."), "floor"
        ) from None
    if not -3 <= floor_number <= MAX_FLOOR:
        raise DomainError(
            "floor_range", N_("The floor must be between -3 and %(max)d."), "floor", max=MAX_FLOOR
        )
    return reference, staircase, floor_number


def reference_taken(connection: Connection, reference: str) -> bool:
    """Tell whether a dwelling already has this reference."""
    return (
        connection.execute(
            select(dwellings.c.id).where(func.lower(dwellings.c.reference) == reference.lower())
        ).first()
        is not None
    )


def register_dwelling(
    connection: Connection, building_id: str, reference: str, staircase: str, floor: str | int
) -> str:
    """Register a dwelling in a building and return its id."""
    reference, staircase, floor_number = validate_dwelling(reference, staircase, floor)
    get_building(connection, building_id)
    if reference_taken(connection, reference):
        raise DomainError(
            "reference_taken",
            N_("A dwelling with the reference %(reference)s already exists."),
            "reference",
            reference=reference,
        )
    dwelling_id = new_id()
    connection.execute(
        dwellings.insert().values(
            id=dwelling_id,
            building_id=building_id,
            reference=reference,
            staircase=staircase,
            floor=floor_number,
            created_at=utcnow(),
        )
    )
    return dwelling_id


def building_of_dwelling(connection: Connection, dwelling_id: str) -> str | None:
    """Return the building of a dwelling, or None when there is no such dwelling here."""
    return connection.execute(
        select(dwellings.c.building_id).where(dwellings.c.id == dwelling_id)
    ).scalar()


def copy_dwelling(connection: Connection, dwelling: dict[str, Any]) -> None:
    """Keep a dwelling a box named, new here, with the box's id and reference: the hub
    learns the dwellings its boxes' reports are about as they come."""
    connection.execute(dwellings.insert().values(dwelling))


def get_dwelling(connection: Connection, dwelling_id: str) -> dict[str, Any]:
    """Return one dwelling with its building's name."""
    row = (
        connection.execute(
            select(dwellings, buildings.c.name.label("building_name"))
            .join(buildings)
            .where(dwellings.c.id == dwelling_id)
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("dwelling_not_found", N_("This dwelling does not exist."))
    return dict(row)


def list_dwellings(connection: Connection, building_ids: list[str]) -> list[dict[str, Any]]:
    """Return the dwellings of the given buildings with the state of their code."""
    live_code = (
        select(access_codes.c.dwelling_id, access_codes.c.issued_at, access_codes.c.activated_at)
        .where(access_codes.c.revoked_at.is_(None))
        .subquery()
    )
    people = (
        select(profiles.c.dwelling_id, func.count().label("profile_count"))
        .where(profiles.c.left_at.is_(None))
        .group_by(profiles.c.dwelling_id)
        .subquery()
    )
    query = (
        select(
            dwellings,
            buildings.c.name.label("building_name"),
            live_code.c.issued_at.label("code_issued_at"),
            live_code.c.activated_at.label("code_activated_at"),
            func.coalesce(people.c.profile_count, 0).label("profile_count"),
        )
        .join(buildings)
        .outerjoin(live_code, live_code.c.dwelling_id == dwellings.c.id)
        .outerjoin(people, people.c.dwelling_id == dwellings.c.id)
        .where(dwellings.c.building_id.in_(building_ids))
        .order_by(buildings.c.name, dwellings.c.staircase, dwellings.c.floor, dwellings.c.reference)
    )
    return [dict(row) for row in connection.execute(query).mappings()]
