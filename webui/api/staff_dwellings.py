"""Dwellings and their access codes on the staff side: list, register, import, reissue, move out.

A code is in clear only in the answer that issues it, which no cache may keep; after
that only its keyed hash exists. Staff reach only the dwellings of their buildings.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, request

from appliance.domain import access_codes, audit, estate, people, roles
from provisioning import roster
from webui.api import blueprint, serialise
from webui.api.body import CSV, json_object, optional_integer, text
from webui.api.problems import UnsupportedContent
from webui.auth import staff_required
from webui.database import db
from webui.errors import problem
from webui.i18n import translate
from webui.staff.reach import my_building, my_dwelling


def _pepper() -> str:
    return current_app.config["ACCESS_CODE_PEPPER"]


def _dwellings(dwelling_ids: list[str]) -> list[dict[str, Any]]:
    wanted = set(dwelling_ids)
    found = estate.list_dwellings(db(), g.staff["building_ids"])
    return [dwelling for dwelling in found if dwelling["id"] in wanted]


def _issued(codes: dict[str, str]) -> list[dict[str, Any]]:
    """Return each new code beside its dwelling, in the order given."""
    shown = {dwelling["id"]: dwelling for dwelling in _dwellings(list(codes))}
    return [
        {"dwelling": serialise.dwelling(shown[dwelling_id]), "code": access_codes.printable(code)}
        for dwelling_id, code in codes.items()
    ]


def _unstored(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/staff/dwellings")
@staff_required(roles.MANAGE_DWELLINGS)
def dwelling_list():
    """Dwellings of my buildings (or of one of them) with the state of their code."""
    building = request.args.get("building", "")
    if building:
        my_building(building)
    found = estate.list_dwellings(db(), [building] if building else g.staff["building_ids"])
    return jsonify(dwellings=[serialise.dwelling(d) for d in found])


@blueprint.post("/staff/dwellings")
@staff_required(roles.MANAGE_DWELLINGS)
def register_dwelling():
    """Register a dwelling in one of my buildings and issue its first code."""
    body = json_object()
    building_id = text(body, "building_id")
    floor = optional_integer(body, "floor")
    my_building(building_id)
    dwelling_id = estate.register_dwelling(
        db(), building_id, text(body, "reference"), text(body, "staircase"), floor
    )
    code = access_codes.issue(db(), _pepper(), dwelling_id)
    dwelling = estate.get_dwelling(db(), dwelling_id)
    target = f"dwelling:{dwelling['reference']}"
    audit.record(
        db(), g.staff["id"], "dwelling.register", target, building=dwelling["building_name"]
    )
    audit.record(db(), g.staff["id"], "code.issue", target)
    return _unstored(jsonify(_issued({dwelling_id: code})[0])), 201


@blueprint.post("/staff/dwellings/import")
@staff_required(roles.MANAGE_DWELLINGS)
def import_dwellings():
    """Register every dwelling of a CSV roster with a code each, or none if a line is bad."""
    if request.mimetype != CSV:
        raise UnsupportedContent(CSV)
    try:
        # The body as a stream: a big roster is read line by line, never held whole.
        imported = roster.import_roster(db(), _pepper(), request.stream, g.staff["building_ids"])
    except roster.RosterError as error:
        return problem(
            error.status,
            translate(error.message, **error.params),
            error.code,
            error.field,
            lines=[
                {"line": number, "message": message}
                for number, message in error.translated(translate)
            ],
        )
    audit.record(
        db(),
        g.staff["id"],
        "dwellings.import",
        f"dwellings:{len(imported)}",
        references=[row["reference"] for row in imported],
    )
    issued = _issued({row["dwelling_id"]: row["code"] for row in imported})
    return _unstored(jsonify(issued=issued)), 201


@blueprint.post("/staff/dwellings/<dwelling_id>/code")
@staff_required(roles.MANAGE_DWELLINGS)
def reissue_code(dwelling_id: str):
    """Replace the dwelling's code (a lost letter): the old one stops working at once."""
    dwelling = my_dwelling(dwelling_id)
    code = access_codes.issue(db(), _pepper(), dwelling_id)
    audit.record(db(), g.staff["id"], "code.issue", f"dwelling:{dwelling['reference']}")
    return _unstored(jsonify(_issued({dwelling_id: code})[0]))


@blueprint.post("/staff/dwellings/<dwelling_id>/move-out")
@staff_required(roles.MANAGE_DWELLINGS)
def move_out(dwelling_id: str):
    """The household left: its code and profiles stop working; issue a code for the next one."""
    my_dwelling(dwelling_id)
    profiles_left = people.move_out(db(), dwelling_id, g.staff["id"])
    return jsonify(
        dwelling=serialise.dwelling(_dwellings([dwelling_id])[0]), profiles_left=profiles_left
    )
