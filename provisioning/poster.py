"""The lobby poster: one A4 page for a building's entrance hall.

It carries no code, only what anyone passing may read: the portal's name and address, a
large QR code that opens it, how to connect in each language of the portal (French
first), and who helps in the building (the caretaker's and the mediator's cards).
"""

from __future__ import annotations

from typing import Any, BinaryIO

from core.domain import building_contacts
from core.domain.people import LOCALES
from provisioning import print_pages, sign_in_links


def write_pdf(
    box_name: str,
    portal_address: str,
    building: dict[str, Any],
    contacts: list[dict[str, Any]],
    catalogs: print_pages.Catalogs,
    target: BinaryIO,
) -> None:
    """Write the poster of ``building`` (name, address) with its ``contacts`` as a PDF."""
    languages = [print_pages.words(catalogs, locale) for locale in LOCALES]
    document = print_pages.render(
        "poster.html",
        languages[0],
        languages=languages,
        box_name=box_name,
        portal_address=portal_address,
        qr_image=sign_in_links.qr_image(sign_in_links.portal_link(portal_address)),
        building={"name": building["name"], "address": building.get("address") or ""},
        contacts=[
            {**contact, "role": building_contacts.ROLES[contact["role"]]} for contact in contacts
        ],
    )
    print_pages.write([document], target)
