"""The directory of partners' services, kept at the hub for the places around the staff
member's buildings.

As news, a service reaches one of those buildings or the residence, district or city
around it: the client sends the scope with the building it is around. Staff change and
remove only the services that reach one of their buildings.
"""

from __future__ import annotations

from typing import Any

from flask import g
from pydantic import Field

from core.domain import partners, roles, scope, staff_buildings
from core.domain.errors import N_, NotFound
from webui.api import blueprint
from webui.api.fields import Body, Text, choice
from webui.api.neighbourhood_shapes import Partner, PartnerList
from webui.api.spec import Response, spec
from webui.api.staff_publishing import scope_around
from webui.auth import staff_required
from webui.database import db

FIELDS = ("name", "category", "description", "address", "phone", "opening_hours")
_BUILDING = "Opaque identifier."


class NewPartner(Body):
    """A service for one of the staff member's buildings or around it. The scope says who
    sees it: that building, or its residence, district or city."""

    # In the order they are checked: the service, then where it is shown.
    name: Text
    category: Text = choice(partners.CATEGORIES)
    description: Text
    address: Text = ""
    phone: Text = ""
    opening_hours: Text = ""
    scope: Text = choice(scope.SCOPES)
    building_id: Text = Field(description=_BUILDING)


class PartnerChange(Body):
    """What changes in a service; a field not sent stays as it is. A new scope is sent
    with the building it is around, as when adding."""

    name: Text = ""
    category: Text = choice(partners.CATEGORIES, optional=True)
    description: Text = ""
    address: Text = ""
    phone: Text = ""
    opening_hours: Text = ""
    scope: Text = choice(scope.SCOPES, optional=True)
    building_id: Text = Field(default="", description=_BUILDING)


def _mine(partner_id: str) -> dict[str, Any]:
    for item in partners.all_reaching(db(), staff_buildings.buildings(db(), g.staff)):
        if item["id"] == partner_id:
            return item
    raise NotFound("partner_not_found", N_("This service is not in the directory."))


def _fields(sent: NewPartner | PartnerChange, item: dict[str, Any] | None = None) -> dict[str, str]:
    """Return the service's fields from what was sent; those left out stay as they are."""
    given = sent.model_fields_set
    fields = {
        name: getattr(sent, name) if item is None or name in given else item[name]
        for name in FIELDS
    }
    if item is not None and not {"scope", "building_id"} & given:
        return fields | {"scope_kind": item["scope_kind"], "scope_ref": item["scope_ref"]}
    return fields | {
        "scope_kind": sent.scope,
        "scope_ref": scope_around(
            sent.scope, staff_buildings.building(db(), g.staff, sent.building_id)
        ),
    }


@blueprint.get("/staff/partners")
@staff_required(roles.MANAGE_PARTNERS)
@spec.validate(resp=Response(HTTP_200=PartnerList), tags=["hub"])
def partner_list():
    """The services that reach my buildings, by kind then name."""
    found = partners.all_reaching(db(), staff_buildings.buildings(db(), g.staff))
    return PartnerList(partners=[Partner.of_staff(p) for p in found])


@blueprint.post("/staff/partners")
@staff_required(roles.MANAGE_PARTNERS)
@spec.validate(resp=Response(HTTP_201=Partner, HTTP_404=None), tags=["hub"])
def add_partner(json: NewPartner):
    """Add a service; the boxes of its building, residence, district or city show it."""
    partner_id = partners.add(db(), g.staff["id"], **_fields(json))
    return Partner.of_staff(_mine(partner_id)), 201


@blueprint.patch("/staff/partners/<partner_id>")
@staff_required(roles.MANAGE_PARTNERS)
@spec.validate(resp=Response(HTTP_200=Partner), tags=["hub"])
def change_partner(partner_id: str, json: PartnerChange):
    """Change what was sent of a service; boxes no longer in its scope take it down."""
    item = _mine(partner_id)
    partners.change(db(), partner_id, g.staff["id"], **_fields(json, item))
    return Partner.of_staff(_mine(partner_id))


@blueprint.delete("/staff/partners/<partner_id>")
@staff_required(roles.MANAGE_PARTNERS)
@spec.validate(resp=Response(HTTP_204=None), tags=["hub"])
def remove_partner(partner_id: str):
    """Take a service out of the directory, everywhere."""
    partners.remove(db(), _mine(partner_id)["id"], g.staff["id"])
    return "", 204
