"""Announcing works in one of my buildings: what, where, when, and what tenants must do.

The works under way or to come are listed beside the form; each can be taken down.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from appliance.domain import roles, works
from appliance.domain.errors import N_, DomainError, NotFound
from webui.auth import staff_required
from webui.database import db
from webui.forms import refuse, typed
from webui.staff import blueprint
from webui.staff.dates import parse_date
from webui.staff.reach import chosen_building, my_buildings

FIELDS = ("building_id", "title", "location", "starts_on", "ends_on", "tenant_action")


def _context() -> dict:
    buildings = my_buildings()
    return {
        "buildings": buildings,
        "current": [
            (building, works.current_for_building(db(), building["id"])) for building in buildings
        ],
    }


def my_current_notice(notice_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the building and a works notice of mine under way or to come.

    Any other notice, ended or in another building, is as if it did not exist.
    """
    for building in my_buildings():
        for notice in works.current_for_building(db(), building["id"]):
            if notice["id"] == notice_id:
                return building, notice
    raise NotFound("works_not_found", N_("This works notice does not exist."))


@blueprint.get("/works")
@staff_required(roles.ANNOUNCE_WORKS)
def works_form():
    """The form to announce works, and the works already announced."""
    context = _context()
    buildings = context["buildings"]
    values = {"building_id": buildings[0]["id"] if len(buildings) == 1 else ""}
    return render_template("staff/works.html", values=values, errors={}, **context)


@blueprint.post("/works")
@staff_required(roles.ANNOUNCE_WORKS)
def announce_works():
    """Announce works; tenants of the building see them first on their home page."""
    values = typed(*FIELDS)
    try:
        building = chosen_building(values["building_id"])
        works.announce(
            db(),
            building["id"],
            values["title"],
            values["location"],
            parse_date(values["starts_on"], "starts_on", N_("Give the first day of the works.")),
            parse_date(values["ends_on"], "ends_on", N_("Give the last day of the works.")),
            values["tenant_action"],
            author_staff_id=g.staff["id"],
        )
    except DomainError as error:
        return refuse("staff/works.html", error, values, **_context())
    flash(
        _("The works are announced to the tenants of %(building)s.", building=building["name"]),
        "success",
    )
    return redirect(url_for("staff.works_form"))


@blueprint.get("/works/<notice_id>/take-down")
@staff_required(roles.ANNOUNCE_WORKS)
def confirm_works_take_down(notice_id: str):
    """Ask before taking a works notice down."""
    building, notice = my_current_notice(notice_id)
    return render_template("staff/works_take_down.html", building=building, notice=notice)


@blueprint.post("/works/<notice_id>/take-down")
@staff_required(roles.ANNOUNCE_WORKS)
def take_down_works(notice_id: str):
    """Take a works notice down, on the hub and on its building's box."""
    _building, notice = my_current_notice(notice_id)
    works.withdraw(db(), notice["id"], g.staff["id"])
    flash(
        _(
            "The works notice “%(title)s” is taken down: tenants no longer see it.",
            title=notice["title"],
        ),
        "success",
    )
    return redirect(url_for("staff.works_form"))
