"""Asking the building's digital mediator or caretaker for help, and reading the answer."""

from __future__ import annotations

from flask import g, jsonify

from appliance.domain import help_desk
from webui.api import blueprint, serialise
from webui.api.body import json_object, text
from webui.auth import tenant_required
from webui.database import db


@blueprint.get("/help-requests")
@tenant_required
def my_help_requests():
    """My requests for help, newest first, with their answers."""
    found = help_desk.mine(db(), g.profile)
    return jsonify(help_requests=[serialise.help_request(r) for r in found])


@blueprint.post("/help-requests")
@tenant_required
def ask_for_help():
    """Send a request for help to my building's mediator or caretaker."""
    body = json_object()
    request_id = help_desk.ask(
        db(), g.profile, text(body, "topic"), text(body, "message"), text(body, "how")
    )
    asked = next(r for r in help_desk.mine(db(), g.profile) if r["id"] == request_id)
    return jsonify(serialise.help_request(asked)), 201
