"""Access-code letters: one A4 page per dwelling, in the household's language, as one PDF.

A letter is the only place a code exists in clear. It gives the code in large type, a
QR code that opens the sign-in page with the code filled in (``sign_in_links``), the
portal's address written out for those who type it, and the steps in plain words.

A batch is plain JSON-ready data, so a process of its own makes its PDF from what it
reads on its standard input (``residacoeur box print-letters``, with
``provisioning/letter_pages.py``): the web service never loads the PDF's libraries.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection

from core.domain import access_codes, building_contacts, estate


def letter(
    reference: str,
    building: dict[str, Any],
    code: str,
    locale: str,
    contacts: list[dict[str, Any]],
) -> dict[str, Any]:
    """Return one household's letter: its dwelling, building (name, address), printable
    code, language and the building's contacts (caretaker, mediator)."""
    return {
        "reference": reference,
        "building": {"name": building["name"], "address": building.get("address") or ""},
        "code": code,
        "locale": locale,
        "contacts": [
            {
                **{key: contact.get(key) or "" for key in ("name", "place", "hours", "phone")},
                "role": building_contacts.ROLES[contact["role"]],
            }
            for contact in contacts
        ],
    }


def for_issued(
    connection: Connection, issued: list[dict[str, Any]], locale: str
) -> list[dict[str, Any]]:
    """Return the letters of freshly issued codes (rows with reference, building_name and
    code), in ``locale``, with each building's address and contacts."""
    buildings = {building["name"]: building for building in estate.list_buildings(connection)}
    contacts: dict[str, list[dict[str, Any]]] = {}
    for contact in building_contacts.of_buildings(connection):
        contacts.setdefault(contact["building_id"], []).append(contact)
    letters = []
    for row in issued:
        building = buildings[row["building_name"]]
        letters.append(
            letter(
                row["reference"],
                building,
                access_codes.printable(row["code"]),
                locale,
                contacts.get(building["id"], []),
            )
        )
    return letters


def batch(
    box_name: str,
    portal_address: str,
    sign_in_path: str,
    issued_on: date,
    letters: list[dict[str, Any]],
) -> dict[str, Any]:
    """Return a batch of letters from one box, printed on ``issued_on``."""
    return {
        "box_name": box_name,
        "portal_address": portal_address,
        "sign_in_path": sign_in_path,
        "issued_on": issued_on.isoformat(),
        "letters": letters,
    }
