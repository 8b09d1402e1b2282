"""What the neighbourhood offers the tenant: local shops' deals and partners' services."""

from __future__ import annotations

from flask import g, jsonify

from appliance.domain import deals, estate, partners
from webui.api import blueprint, serialise
from webui.auth import tenant_required
from webui.database import db


@blueprint.get("/deals")
@tenant_required
def deal_list():
    """The local shops' deals for my residence valid today, ending soonest first."""
    found = deals.current(db(), g.profile["residence_id"])
    return jsonify(deals=[serialise.deal(d) for d in found])


@blueprint.get("/services")
@tenant_required
def service_list():
    """Services near me, by kind then name: what they do, where and when."""
    building = estate.get_building(db(), g.profile["building_id"])
    found = partners.directory(db(), building)
    return jsonify(services=[serialise.service(s) for s in found])
