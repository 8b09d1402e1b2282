"""The directory of partners' services, kept at the hub for the places around the staff
member's buildings.

As news, a service reaches one of those buildings or the residence, district or city
around it: the client sends the scope with the building it is around. Staff change and
remove only the services that reach one of their buildings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import g, jsonify

from appliance.domain import partners, roles
from appliance.domain.errors import N_, NotFound
from webui.api import blueprint, serialise
from webui.api.body import json_object, text
from webui.api.staff_publishing import scope_around
from webui.auth import staff_required
from webui.database import db
from webui.staff.reach import my_building, my_buildings

FIELDS = ("name", "category", "description", "address", "phone", "opening_hours")


def _listed(found: dict[str, Any]) -> dict[str, Any]:
    """Return a service as staff see it: as tenants do, and where it is shown."""
    return {**serialise.service(found), "scope_name": found["scope_name"]}


def _mine(partner_id: str) -> dict[str, Any]:
    for item in partners.all_reaching(db(), my_buildings()):
        if item["id"] == partner_id:
            return item
    raise NotFound("partner_not_found", N_("This service is not in the directory."))


def _fields(body: Mapping[str, Any], item: dict[str, Any] | None = None) -> dict[str, str]:
    """Return the service's fields from the body; those left out stay as they are."""
    fields = {
        name: text(body, name) if item is None or name in body else item[name] for name in FIELDS
    }
    if item is not None and "scope" not in body and "building_id" not in body:
        return fields | {"scope_kind": item["scope_kind"], "scope_ref": item["scope_ref"]}
    kind = text(body, "scope")
    return fields | {
        "scope_kind": kind,
        "scope_ref": scope_around(kind, my_building(text(body, "building_id"))),
    }


@blueprint.get("/staff/partners")
@staff_required(roles.MANAGE_PARTNERS)
def partner_list():
    """The services that reach my buildings, by kind then name."""
    found = partners.all_reaching(db(), my_buildings())
    return jsonify(partners=[_listed(p) for p in found])


@blueprint.post("/staff/partners")
@staff_required(roles.MANAGE_PARTNERS)
def add_partner():
    """Add a service; the boxes of its building, residence, district or city show it."""
    partner_id = partners.add(db(), g.staff["id"], **_fields(json_object()))
    return jsonify(_listed(_mine(partner_id))), 201


@blueprint.patch("/staff/partners/<partner_id>")
@staff_required(roles.MANAGE_PARTNERS)
def change_partner(partner_id: str):
    """Change what was sent of a service; boxes no longer in its scope take it down."""
    item = _mine(partner_id)
    partners.change(db(), partner_id, g.staff["id"], **_fields(json_object(), item))
    return jsonify(_listed(_mine(partner_id)))


@blueprint.delete("/staff/partners/<partner_id>")
@staff_required(roles.MANAGE_PARTNERS)
def remove_partner(partner_id: str):
    """Take a service out of the directory, everywhere."""
    partners.remove(db(), _mine(partner_id)["id"], g.staff["id"])
    return "", 204
