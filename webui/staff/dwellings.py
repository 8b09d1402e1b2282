"""Dwellings of my buildings: the list with the state of each code, and registering one."""

from __future__ import annotations

from flask import current_app, g, render_template

from core.domain import access_codes, audit, estate, roles, staff_buildings
from core.domain.errors import DomainError
from webui.auth import staff_required
from webui.database import db
from webui.forms import refuse, typed
from webui.staff import blueprint, letters

FIELDS = ("building_id", "reference", "staircase", "floor")


def code_state(dwelling: dict) -> str:
    """Return where the dwelling's code stands: activated, issued (not used yet) or none."""
    if dwelling["code_activated_at"]:
        return "activated"
    if dwelling["code_issued_at"]:
        return "issued"
    return "none"


@blueprint.get("/dwellings")
@staff_required(roles.MANAGE_DWELLINGS)
def dwellings():
    """The dwellings of my buildings, building by building."""
    buildings = staff_buildings.buildings(db(), g.staff)
    by_building: dict[str, list[dict]] = {building["id"]: [] for building in buildings}
    for dwelling in estate.list_dwellings(db(), g.staff["building_ids"]):
        by_building[dwelling["building_id"]].append(
            {**dwelling, "code_state": code_state(dwelling)}
        )
    return render_template("staff/dwellings.html", buildings=buildings, by_building=by_building)


@blueprint.get("/dwellings/new")
@staff_required(roles.MANAGE_DWELLINGS)
def new_dwelling():
    """The form to register one dwelling."""
    buildings = staff_buildings.buildings(db(), g.staff)
    values = {
        "building_id": buildings[0]["id"] if len(buildings) == 1 else "",
        "letter_locale": letters.letter_locale(),
    }
    return render_template("staff/dwelling_new.html", values=values, buildings=buildings)


@blueprint.post("/dwellings")
@staff_required(roles.MANAGE_DWELLINGS)
def register_dwelling():
    """Register a dwelling and print the letter with its first code."""
    values = {**typed(*FIELDS), "letter_locale": letters.letter_locale()}
    buildings = staff_buildings.buildings(db(), g.staff)
    try:
        building = staff_buildings.chosen_building(db(), g.staff, values["building_id"])
        dwelling_id = estate.register_dwelling(
            db(), building["id"], values["reference"], values["staircase"], values["floor"]
        )
    except DomainError as error:
        return refuse("staff/dwelling_new.html", error, values, buildings=buildings)
    dwelling = estate.get_dwelling(db(), dwelling_id)
    code = access_codes.issue(db(), current_app.config["ACCESS_CODE_PEPPER"], dwelling_id)
    audit.record(
        db(),
        g.staff["id"],
        "dwelling.register",
        f"dwelling:{dwelling['reference']}",
        building=dwelling["building_name"],
    )
    audit.record(db(), g.staff["id"], "code.issue", f"dwelling:{dwelling['reference']}")
    return letters.print_issued(
        [
            {
                "reference": dwelling["reference"],
                "building_name": dwelling["building_name"],
                "code": code,
            }
        ],
        letters.letter_locale(),
    )
