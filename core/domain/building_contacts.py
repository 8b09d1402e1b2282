"""Who tenants can turn to in their building: the caretaker and the digital mediator.

Someone who lost the landlord's letter or forgot their PIN cannot sign in, so the
sign-in and help pages show these people to anyone: a name, where to find them, when,
and a phone number. Staff of the building keep them up to date; a card without a name
is taken away.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, select

from core.domain import audit, roles, typed_text
from core.domain.clock import utcnow
from core.domain.errors import N_, DomainError, NotFound
from core.storage.schema import building_contacts, buildings

ROLES: dict[str, str] = {
    "caretaker": N_("Caretaker"),
    "mediator": N_("Digital mediator"),
}


def of_buildings(
    connection: Connection, building_ids: list[str] | None = None
) -> list[dict[str, Any]]:
    """Return the contacts of these buildings (of all the box's when None), by building
    name, the caretaker first."""
    query = select(building_contacts, buildings.c.name.label("building_name")).join(
        buildings, buildings.c.id == building_contacts.c.building_id
    )
    if building_ids is not None:
        query = query.where(building_contacts.c.building_id.in_(building_ids))
    rows = connection.execute(query).mappings()
    order = list(ROLES)
    return sorted(
        (dict(row) for row in rows),
        key=lambda row: (row["building_name"], order.index(row["role"])),
    )


def keep(
    connection: Connection,
    member: dict[str, Any],
    building_id: str,
    role: str,
    fields: dict[str, str],
) -> None:
    """Write a building's caretaker or mediator card as a staff member of the building
    typed it; an empty name takes the card away (audited)."""
    if role not in ROLES:
        raise NotFound("contact_not_found", N_("This card does not exist."))
    if not roles.sees_every_building(member["role"]) and building_id not in member["building_ids"]:
        raise NotFound("contact_not_found", N_("This card does not exist."))
    name = typed_text.line(fields.get("name") or "", "name", 80)
    card = {
        "name": name,
        "place": typed_text.line(fields.get("place") or "", "place", 140),
        "hours": typed_text.text(fields.get("hours") or "", "hours", 300),
        "phone": typed_text.line(fields.get("phone") or "", "phone", 40),
    }
    if card["phone"] and not all(c.isdigit() or c in " +.-()" for c in card["phone"]):
        raise DomainError(
            "phone_unreadable", N_("Write the phone number with digits only."), "phone"
        )
    where = [building_contacts.c.building_id == building_id, building_contacts.c.role == role]
    connection.execute(delete(building_contacts).where(*where))
    if name:
        connection.execute(
            building_contacts.insert().values(
                building_id=building_id, role=role, updated_at=utcnow(), **card
            )
        )
    audit.record(connection, member["id"], "contact.update", f"building:{building_id}", role=role)
