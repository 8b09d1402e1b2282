"""A local shop's deals, written at the hub for the residences of its buildings."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.domain import deals, news, roles, staff_buildings
from core.domain.errors import N_, DomainError, NotFound
from webui.auth import staff_required
from webui.database import db, keep_changes
from webui.form_dates import parse_date
from webui.forms import refuse, typed
from webui.staff import blueprint
from webui.staff.publishing import draft_photo, draft_sent

FIELDS = ("title", "description", "valid_from", "valid_until", "photo_id")
FORM = "staff/deal_form.html"


def _residences() -> dict[str, str]:
    """Return the residences of my buildings, by id, with their names."""
    return {
        b["residence_id"]: b["residence_name"] for b in staff_buildings.buildings(db(), g.staff)
    }


def _chosen() -> list[str]:
    offered = _residences()
    return [r for r in request.form.getlist("residences") if r in offered]


def _page(values: dict, item: dict[str, Any] | None = None, error: DomainError | None = None):
    context = {
        "publisher": news.publisher_for(db(), g.staff),
        "residences": _residences(),
        "item": item,
    }
    if error is None:
        return render_template(FORM, values=values, errors={}, **context)
    return refuse(FORM, error, values, **context)


def _typed(values: dict[str, str]) -> dict[str, Any]:
    return {
        "title": values["title"],
        "description": values["description"],
        "valid_from": parse_date(values["valid_from"], "valid_from", N_("Give the first day.")),
        "valid_until": parse_date(values["valid_until"], "valid_until", N_("Give the last day.")),
        "residence_ids": _chosen(),
    }


@blueprint.get("/deals")
@staff_required(roles.PUBLISH_DEALS)
def my_deals():
    """My shop's deals on or to come, and the form to publish one."""
    publisher = news.publisher_for(db(), g.staff)
    items = deals.of_shop(db(), publisher["id"]) if publisher else []
    return render_template(
        "staff/deals.html", publisher=publisher, items=items, residences=_residences()
    )


@blueprint.get("/deals/new")
@staff_required(roles.PUBLISH_DEALS)
def new_deal():
    """The form to publish a deal."""
    return _page({"residences": list(_residences())})


@blueprint.post("/deals")
@staff_required(roles.PUBLISH_DEALS)
def publish_deal():
    """Publish the deal for the residences chosen."""
    publisher = news.publisher_for(db(), g.staff)
    values = typed(*FIELDS) | {"residences": _chosen()}
    if publisher is None:
        return _page(values), 422
    try:
        values["photo_id"] = draft_photo(values) or ""
        deals.publish(
            db(),
            publisher["id"],
            photo_id=values["photo_id"] or None,
            author_staff_id=g.staff["id"],
            **_typed(values),
        )
    except DomainError as error:
        keep_changes()
        return _page(values, error=error)
    draft_sent(values["photo_id"])
    flash(_("The deal is published: tenants of these residences see it."), "success")
    return redirect(url_for("staff.my_deals"))


def _mine(deal_id: str) -> dict[str, Any]:
    publisher = news.publisher_for(db(), g.staff)
    if publisher is None:
        raise NotFound("deal_not_found", N_("This deal does not exist."))
    return deals.one_of_shop(db(), publisher["id"], deal_id)


@blueprint.get("/deals/<deal_id>/change")
@staff_required(roles.PUBLISH_DEALS)
def change_deal_form(deal_id: str):
    """The deal's form, filled with it as it is now."""
    item = _mine(deal_id)
    values = {
        "title": item["title"],
        "description": item["description"],
        "valid_from": item["valid_from"].isoformat(),
        "valid_until": item["valid_until"].isoformat(),
        "photo_id": item["photo_id"] or "",
        "residences": item["residence_ids"],
    }
    return _page(values, item)


@blueprint.post("/deals/<deal_id>/change")
@staff_required(roles.PUBLISH_DEALS)
def change_deal(deal_id: str):
    """Save the changes; residences no longer chosen take the deal down."""
    item = _mine(deal_id)
    values = typed(*FIELDS) | {"residences": _chosen()}
    try:
        values["photo_id"] = draft_photo(values, item["photo_id"]) or ""
        deals.change(
            db(), deal_id, g.staff["id"], photo_id=values["photo_id"] or None, **_typed(values)
        )
    except DomainError as error:
        keep_changes()
        return _page(values, item, error)
    draft_sent(values["photo_id"])
    flash(_("The changes are published."), "success")
    return redirect(url_for("staff.my_deals"))


@blueprint.post("/deals/<deal_id>/take-down")
@staff_required(roles.PUBLISH_DEALS)
def take_down_deal(deal_id: str):
    """Take the deal down everywhere."""
    item = _mine(deal_id)
    deals.withdraw(db(), item["id"], g.staff["id"])
    flash(_("The deal is taken down: tenants no longer see it."), "success")
    return redirect(url_for("staff.my_deals"))
