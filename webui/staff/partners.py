"""The directory of partners' services, kept at the hub for the districts and cities of
the staff member's buildings."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from core.domain import partners, roles, staff_buildings
from core.domain.errors import N_, DomainError, NotFound
from webui.auth import staff_required
from webui.database import db
from webui.forms import refuse, typed
from webui.staff import blueprint
from webui.staff.publishing import SCOPE_NAMES, chosen_scope, scope_key, scope_options

FIELDS = ("name", "category", "description", "address", "phone", "opening_hours", "scope")
FORM = "staff/partner_form.html"


def _mine(partner_id: str) -> dict[str, Any]:
    for item in partners.all_reaching(db(), staff_buildings.buildings(db(), g.staff)):
        if item["id"] == partner_id:
            return item
    raise NotFound("partner_not_found", N_("This service is not in the directory."))


def _page(values: dict, item: dict | None = None, error: DomainError | None = None):
    scopes = {key: label for key, (_kind, _ref, label) in scope_options(item).items()}
    context = {"categories": partners.CATEGORIES, "scopes": scopes, "item": item}
    if error is None:
        return render_template(FORM, values=values, errors={}, **context)
    return refuse(FORM, error, values, **context)


def _fields(values: dict[str, str], item: dict | None = None) -> dict[str, str]:
    kind, ref = chosen_scope(values, item)
    return {
        **{name: values[name] for name in FIELDS if name != "scope"},
        "scope_kind": kind,
        "scope_ref": ref,
    }


@blueprint.get("/partners")
@staff_required(roles.MANAGE_PARTNERS)
def partner_list():
    """The services listed for my buildings' districts and cities."""
    return render_template(
        "staff/partners.html",
        items=partners.all_reaching(db(), staff_buildings.buildings(db(), g.staff)),
        categories=partners.CATEGORIES,
        scope_names=SCOPE_NAMES,
    )


@blueprint.get("/partners/new")
@staff_required(roles.MANAGE_PARTNERS)
def new_partner():
    """The form to add a service."""
    return _page({})


@blueprint.post("/partners")
@staff_required(roles.MANAGE_PARTNERS)
def add_partner():
    """Add the service; the boxes of its district or city show it."""
    values = typed(*FIELDS)
    try:
        partners.add(db(), g.staff["id"], **_fields(values))
    except DomainError as error:
        return _page(values, error=error)
    flash(_("The service is in the directory of the boxes around it."), "success")
    return redirect(url_for("staff.partner_list"))


@blueprint.get("/partners/<partner_id>/change")
@staff_required(roles.MANAGE_PARTNERS)
def change_partner_form(partner_id: str):
    """The service's form, filled with it as it is now."""
    item = _mine(partner_id)
    values = {name: item[name] for name in FIELDS if name != "scope"}
    values["scope"] = scope_key(item["scope_kind"], item["scope_ref"])
    return _page(values, item)


@blueprint.post("/partners/<partner_id>/change")
@staff_required(roles.MANAGE_PARTNERS)
def change_partner(partner_id: str):
    """Save the changes; boxes no longer in its scope take it down."""
    item = _mine(partner_id)
    values = typed(*FIELDS)
    try:
        partners.change(db(), partner_id, g.staff["id"], **_fields(values, item))
    except DomainError as error:
        return _page(values, item, error)
    flash(_("The changes are published."), "success")
    return redirect(url_for("staff.partner_list"))


@blueprint.post("/partners/<partner_id>/remove")
@staff_required(roles.MANAGE_PARTNERS)
def remove_partner(partner_id: str):
    """Take the service out of the directory everywhere."""
    item = _mine(partner_id)
    partners.remove(db(), item["id"], g.staff["id"])
    flash(_("The service is out of the directory."), "success")
    return redirect(url_for("staff.partner_list"))
