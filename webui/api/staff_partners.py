"""The directory of partners' services, kept at the hub for the places around the staff
member's buildings.

As news, a service reaches one of those buildings or the residence, district or city
around it: the client sends the scope with the building it is around, as JSON. Staff
see, change and remove only the services that reach one of their buildings;
``publication_routes`` serves them.
"""

from __future__ import annotations

from typing import Any

from core.domain import partners, roles
from core.domain.errors import NotFound
from webui.api.neighbourhood_shapes import NewPartner, Partner, PartnerChange, PartnerList
from webui.api.publication_routes import Publication, my_buildings, placed, register, written
from webui.database import db


def _one(partner_id: str) -> dict[str, Any]:
    """Return one of the services reaching my buildings; any other is as if it did not
    exist."""
    for item in partners.all_reaching(db(), my_buildings()):
        if item["id"] == partner_id:
            return item
    raise NotFound(*partners.PUBLICATION.missing)


register(
    Publication(
        path="partners",
        item_id="partner_id",
        permission=roles.MANAGE_PARTNERS,
        tag="hub",
        kind=partners.PUBLICATION,
        new=NewPartner,
        change=PartnerChange,
        answer=Partner,
        answers=PartnerList,
        mine=lambda: partners.all_reaching(db(), my_buildings()),
        one=_one,
        fields=lambda form, item: (
            written(
                form, item, "name", "category", "description", "address", "phone", "opening_hours"
            )
            | placed(form, item)
        ),
        about={
            "my": "The services that reach my buildings, by kind then name.",
            "publish": "Add a service; the boxes of its building, residence, district or city "
            "show it.",
            "change": "Change what was sent of a service; boxes no longer in its scope take it "
            "down.",
            "take_down": "Take a service out of the directory, everywhere.",
        },
    )
)
