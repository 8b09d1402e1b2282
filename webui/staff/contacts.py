"""The caretaker's and the digital mediator's cards of my buildings, which the sign-in
and help pages show to every tenant, signed in or not."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from core.domain import building_contacts, roles, staff_buildings
from core.domain.errors import DomainError, NotFound
from webui.auth import staff_required
from webui.database import db
from webui.forms import refuse, typed
from webui.staff import blueprint

FIELDS = ("name", "place", "hours", "phone")


def _context() -> dict[str, Any]:
    mine = staff_buildings.buildings(db(), g.staff)
    cards = building_contacts.of_buildings(db(), [b["id"] for b in mine])
    return {
        "buildings": mine,
        "cards": {(card["building_id"], card["role"]): card for card in cards},
    }


@blueprint.get("/contacts")
@staff_required(roles.KEEP_CONTACTS)
def contacts():
    """Who tenants can turn to in each of my buildings, to keep up to date."""
    return render_template("staff/contacts.html", values={}, errors={}, **_context())


@blueprint.post("/contacts/<building_id>/<role>")
@staff_required(roles.KEEP_CONTACTS)
def keep_contact(building_id: str, role: str):
    """Save one card; an empty name takes it away."""
    values = typed(*FIELDS)
    try:
        building_contacts.keep(db(), g.staff, building_id, role, values)
    except NotFound:
        # Another building's card is not there to be refused: it does not exist.
        raise
    except DomainError as error:
        return refuse(
            "staff/contacts.html", error, values, failed=(building_id, role), **_context()
        )
    flash(_("Saved. Tenants see it on the sign-in and help pages."), "success")
    return redirect(url_for("staff.contacts"))
