"""Access-code letters: one A4 page per dwelling, in the household's language, as one PDF.

A letter is the only place a code exists in clear. It gives the code in large type, a
QR code that opens the sign-in page with the code filled in (``sign_in_links``), the
portal's address written out for those who type it, and the steps in plain words.

A batch is plain JSON-ready data, so a process of its own can make a large one from what
it reads on its standard input (``residacoeur box print-letters``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, BinaryIO

import weasyprint
from sqlalchemy import Connection

from core.domain import access_codes, building_contacts, estate
from provisioning import print_pages, sign_in_links


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


def write_pdf(
    letters_batch: dict[str, Any],
    target: BinaryIO,
    catalogs: print_pages.Catalogs,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write the batch's letters to ``target`` as one PDF, one page each, calling
    ``progress`` with the number of letters laid out so far."""
    issued_on = date.fromisoformat(letters_batch["issued_on"])

    def laid_out() -> Iterator[weasyprint.Document]:
        # One at a time, as the writer asks: a letter's layout is not kept past its part.
        for done, one in enumerate(letters_batch["letters"], start=1):
            link = sign_in_links.sign_in_link(
                letters_batch["portal_address"], letters_batch["sign_in_path"], one["code"]
            )
            yield _one_page(
                print_pages.words(catalogs, one["locale"]),
                letter=one,
                box_name=letters_batch["box_name"],
                portal_address=letters_batch["portal_address"],
                qr_image=sign_in_links.qr_image(link),
                issued_on=issued_on,
            )
            if progress:
                progress(done)

    print_pages.write(laid_out(), target)


# Tried in turn until the letter holds on one page: the building's cards are typed by
# staff (a caretaker's hours may take several lines), so they are set smaller, then
# left out; the help sentence still says whom to ask.
_LAYOUTS = (
    {"compact": False, "without_contacts": False},
    {"compact": True, "without_contacts": False},
    {"compact": True, "without_contacts": True},
)


def _one_page(said: print_pages.Words, **context: Any) -> weasyprint.Document:
    for layout in _LAYOUTS:
        document = print_pages.render("letter.html", said, **layout, **context)
        if len(document.pages) == 1:
            return document
    return document
