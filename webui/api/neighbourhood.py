"""What the neighbourhood offers the tenant: local shops' deals and partners' services."""

from __future__ import annotations

from flask import g

from core.domain import deals, estate, partners
from webui.api import blueprint
from webui.api.neighbourhood_shapes import Deal, DealList, Service, ServiceList
from webui.api.spec import Response, spec
from webui.auth import tenant_required
from webui.database import db


@blueprint.get("/deals")
@tenant_required
@spec.validate(resp=Response(HTTP_200=DealList), tags=["tenant"])
def deal_list():
    """The local shops' deals for my residence valid today, ending soonest first."""
    found = deals.current(db(), g.profile["residence_id"])
    return DealList(deals=[Deal.of(d) for d in found])


@blueprint.get("/services")
@tenant_required
@spec.validate(resp=Response(HTTP_200=ServiceList), tags=["tenant"])
def service_list():
    """Services near me, by kind then name: what they do, where and when."""
    building = estate.get_building(db(), g.profile["building_id"])
    found = partners.directory(db(), building)
    return ServiceList(services=[Service.of(s) for s in found])
