"""Requests for help from the tenants of my buildings, for the digital mediator or the
caretaker to answer in the portal."""

from __future__ import annotations

from flask import g, jsonify

from appliance.domain import help_desk, roles
from webui.api import blueprint, serialise
from webui.api.body import json_object, text
from webui.auth import staff_required
from webui.database import db
from webui.staff.reach import my_buildings


def _waiting():
    buildings = {b["id"]: b for b in my_buildings()}
    found = help_desk.waiting(db(), g.staff["building_ids"])
    return jsonify(
        help_requests=[
            serialise.waiting_help_request(r, buildings[r["building_id"]]) for r in found
        ]
    )


@blueprint.get("/staff/help-requests")
@staff_required(roles.ANSWER_HELP)
def waiting_help_requests():
    """What tenants of my buildings asked and nobody answered yet, oldest first."""
    return _waiting()


@blueprint.post("/staff/help-requests/<request_id>/answer")
@staff_required(roles.ANSWER_HELP)
def answer_help(request_id: str):
    """Answer a request; the tenant reads it in the portal and is told."""
    help_desk.answer(db(), g.staff, request_id, text(json_object(), "answer"))
    return _waiting()
