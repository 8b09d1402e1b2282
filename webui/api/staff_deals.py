"""A local shop's deals, written at the hub for the residences of its buildings.

Deals may carry a picture, so they are sent as multipart forms, the residences as a
repeated ``residences`` field. As in the console, only the residences of the merchant's
buildings can be chosen; the answer says which the deal reaches.
"""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request
from werkzeug.datastructures import MultiDict

from appliance.domain import deals, roles, scope
from appliance.domain.errors import N_, NotFound
from webui.api import blueprint, serialise
from webui.api.body import picture, require_multipart, required_date, text
from webui.api.staff_publishing import my_publisher
from webui.auth import staff_required
from webui.database import db
from webui.staff.publishing import publisher_for
from webui.staff.reach import my_buildings


def _chosen(form: MultiDict) -> list[str]:
    """Return the residences chosen among those of my buildings."""
    offered = {b["residence_id"] for b in my_buildings()}
    return [r for r in form.getlist("residences") if r in offered]


def _mine(deal_id: str) -> dict[str, Any]:
    publisher = publisher_for(g.staff)
    if publisher is None:
        raise NotFound("deal_not_found", N_("This deal does not exist."))
    return deals.one_of_shop(db(), publisher["id"], deal_id)


def _shown(found: dict[str, Any]) -> dict[str, Any]:
    named = scope.named(
        db(), [{"scope_kind": "residence", "scope_ref": r} for r in found["residence_ids"]]
    )
    return serialise.shop_deal(found, {r["scope_ref"]: r["scope_name"] for r in named})


@blueprint.get("/staff/deals")
@staff_required(roles.PUBLISH_DEALS)
def my_deals():
    """My shop's deals on or to come, ending soonest first."""
    publisher = publisher_for(g.staff)
    found = deals.of_shop(db(), publisher["id"]) if publisher else []
    return jsonify(deals=[_shown(d) for d in found])


@blueprint.post("/staff/deals")
@staff_required(roles.PUBLISH_DEALS)
def publish_deal():
    """Publish a deal, with an optional picture, for residences of my buildings."""
    require_multipart()
    form = request.form
    publisher = my_publisher()
    deal_id = deals.publish(
        db(),
        publisher["id"],
        text(form, "title"),
        text(form, "description"),
        required_date(form, "valid_from"),
        required_date(form, "valid_until"),
        _chosen(form),
        photo_id=picture(),
        author_staff_id=g.staff["id"],
    )
    return jsonify(_shown(deals.one_of_shop(db(), publisher["id"], deal_id))), 201


@blueprint.patch("/staff/deals/<deal_id>")
@staff_required(roles.PUBLISH_DEALS)
def change_deal(deal_id: str):
    """Change what was sent of my shop's deal; residences no longer chosen take it down."""
    require_multipart()
    item = _mine(deal_id)
    form = request.form
    photo_id = None if text(form, "remove_photo") == "true" else item["photo_id"]
    deals.change(
        db(),
        deal_id,
        g.staff["id"],
        text(form, "title") if "title" in form else item["title"],
        text(form, "description") if "description" in form else item["description"],
        required_date(form, "valid_from") if "valid_from" in form else item["valid_from"],
        required_date(form, "valid_until") if "valid_until" in form else item["valid_until"],
        _chosen(form) if "residences" in form else item["residence_ids"],
        photo_id=picture() or photo_id,
    )
    return jsonify(_shown(_mine(deal_id)))


@blueprint.delete("/staff/deals/<deal_id>")
@staff_required(roles.PUBLISH_DEALS)
def take_down_deal(deal_id: str):
    """Take my shop's deal down everywhere."""
    deals.withdraw(db(), _mine(deal_id)["id"], g.staff["id"])
    return "", 204
