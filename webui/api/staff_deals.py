"""A local shop's deals, written at the hub for the residences of its buildings.

Deals may carry a picture, so they are sent as multipart forms, the residences as a
repeated ``residences`` field. As in the console, only the residences of the merchant's
buildings can be chosen; the answer says which the deal reaches. ``publication_routes``
serves them.
"""

from __future__ import annotations

from typing import Any

from flask import g

from core.domain import deals, news, roles, scope
from core.domain.errors import NotFound
from webui.api.fields import Body
from webui.api.neighbourhood_shapes import DealChange, NewDeal, ShopDeal, ShopDealList
from webui.api.publication_routes import (
    Publication,
    authored,
    my_buildings,
    of_my_publisher,
    pictured,
    register,
    written,
)
from webui.database import db


def _named(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the deals with the names of the residences they reach."""
    reached = [
        {"scope_kind": "residence", "scope_ref": r} for d in found for r in d["residence_ids"]
    ]
    names = {r["scope_ref"]: r["scope_name"] for r in scope.named(db(), reached)}
    return [{**deal, "residence_names": names} for deal in found]


def _one(deal_id: str) -> dict[str, Any]:
    """Return one of my shop's deals; any other is as if it did not exist."""
    publisher = news.publisher_for(db(), g.staff)
    if publisher is None:
        raise NotFound(*deals.PUBLICATION.missing)
    return _named([deals.one_of_shop(db(), publisher["id"], deal_id)])[0]


def _fields(form: Body, item: dict[str, Any] | None) -> dict[str, Any]:
    """Return the deal as it will be; the residences sent are chosen among those of my
    buildings."""
    if item is not None and "residences" not in form.model_fields_set:
        residence_ids = item["residence_ids"]
    else:
        offered = {b["residence_id"] for b in my_buildings()}
        residence_ids = [r for r in form.residences if r in offered]
    return (
        authored(item)
        | written(form, item, "title", "description", "valid_from", "valid_until")
        | {"residence_ids": residence_ids}
        | pictured(form, item)
    )


register(
    Publication(
        path="deals",
        item_id="deal_id",
        permission=roles.PUBLISH_DEALS,
        tag="hub",
        kind=deals.PUBLICATION,
        new=NewDeal,
        change=DealChange,
        answer=ShopDeal,
        answers=ShopDealList,
        mine=lambda: _named(of_my_publisher(deals.of_shop)),
        one=_one,
        fields=_fields,
        about={
            "my": "My shop's deals on or to come, ending soonest first.",
            "publish": "Publish a deal, with an optional picture, for residences of my buildings.",
            "change": "Change what was sent of my shop's deal; residences no longer chosen "
            "take it down.",
            "take_down": "Take my shop's deal down everywhere.",
        },
    )
)
