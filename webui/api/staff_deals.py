"""A local shop's deals, written at the hub for the residences of its buildings.

Deals may carry a picture, so they are sent as multipart forms, the residences as a
repeated ``residences`` field. As in the console, only the residences of the merchant's
buildings can be chosen; the answer says which the deal reaches.
"""

from __future__ import annotations

from typing import Any

from flask import g
from pydantic import Field

from core.domain import deals, news, roles, scope, staff_buildings
from core.domain.errors import N_, NotFound
from webui.api import blueprint
from webui.api.fields import Body, Ids, PhotoFile, RequiredDay, Text, choice
from webui.api.neighbourhood_shapes import ShopDeal, ShopDealList
from webui.api.spec import Response, spec
from webui.api.staff_publishing import my_publisher
from webui.api.uploads import picture
from webui.auth import staff_required
from webui.database import db


class NewDeal(Body):
    """A deal, as a multipart form, for residences of the merchant's buildings."""

    title: Text
    description: Text
    valid_from: RequiredDay
    valid_until: RequiredDay = Field(description="Not before valid_from; three months at most.")
    residences: Ids = Field(
        description="A repeated field; residences of other buildings are left out."
    )
    photo: PhotoFile = None


class DealChange(Body):
    """What changes in a deal, as a multipart form; a field not sent stays as it is."""

    title: Text = ""
    description: Text = ""
    # Not read when left out; sent empty, a day is missing.
    valid_from: RequiredDay = None
    valid_until: RequiredDay = None
    residences: Ids = Field(
        default_factory=list,
        description="A repeated field replacing the residences; those left out take the deal down.",
    )
    photo: PhotoFile = Field(default=None, description="Replaces the picture.")
    remove_photo: Text = choice(["true"], "Removes the picture.", optional=True)


def _chosen(residences: list[str]) -> list[str]:
    """Return the residences chosen among those of my buildings."""
    offered = {b["residence_id"] for b in staff_buildings.buildings(db(), g.staff)}
    return [r for r in residences if r in offered]


def _mine(deal_id: str) -> dict[str, Any]:
    publisher = news.publisher_for(db(), g.staff)
    if publisher is None:
        raise NotFound("deal_not_found", N_("This deal does not exist."))
    return deals.one_of_shop(db(), publisher["id"], deal_id)


def _shown(found: dict[str, Any]) -> ShopDeal:
    named = scope.named(
        db(), [{"scope_kind": "residence", "scope_ref": r} for r in found["residence_ids"]]
    )
    return ShopDeal.of_shop(found, {r["scope_ref"]: r["scope_name"] for r in named})


@blueprint.get("/staff/deals")
@staff_required(roles.PUBLISH_DEALS)
@spec.validate(resp=Response(HTTP_200=ShopDealList), tags=["hub"])
def my_deals():
    """My shop's deals on or to come, ending soonest first."""
    publisher = news.publisher_for(db(), g.staff)
    found = deals.of_shop(db(), publisher["id"]) if publisher else []
    return ShopDealList(deals=[_shown(d) for d in found])


@blueprint.post("/staff/deals")
@staff_required(roles.PUBLISH_DEALS)
@spec.validate(resp=Response(HTTP_201=ShopDeal), tags=["hub"])
def publish_deal(form: NewDeal):
    """Publish a deal, with an optional picture, for residences of my buildings."""
    publisher = my_publisher()
    deal_id = deals.publish(
        db(),
        publisher["id"],
        form.title,
        form.description,
        form.valid_from,
        form.valid_until,
        _chosen(form.residences),
        photo_id=picture(),
        author_staff_id=g.staff["id"],
    )
    return _shown(deals.one_of_shop(db(), publisher["id"], deal_id)), 201


@blueprint.patch("/staff/deals/<deal_id>")
@staff_required(roles.PUBLISH_DEALS)
@spec.validate(resp=Response(HTTP_200=ShopDeal), tags=["hub"])
def change_deal(deal_id: str, form: DealChange):
    """Change what was sent of my shop's deal; residences no longer chosen take it down."""
    item = _mine(deal_id)
    sent = form.model_fields_set

    def sent_or_kept(name: str) -> Any:
        return getattr(form, name) if name in sent else item[name]

    photo_id = None if form.remove_photo == "true" else item["photo_id"]
    deals.change(
        db(),
        deal_id,
        g.staff["id"],
        sent_or_kept("title"),
        sent_or_kept("description"),
        sent_or_kept("valid_from"),
        sent_or_kept("valid_until"),
        _chosen(form.residences) if "residences" in sent else item["residence_ids"],
        photo_id=picture() or photo_id,
    )
    return _shown(_mine(deal_id))


@blueprint.delete("/staff/deals/<deal_id>")
@staff_required(roles.PUBLISH_DEALS)
@spec.validate(resp=Response(HTTP_204=None), tags=["hub"])
def take_down_deal(deal_id: str):
    """Take my shop's deal down everywhere."""
    deals.withdraw(db(), _mine(deal_id)["id"], g.staff["id"])
    return "", 204
