"""The skills exchange from the tenant's side: browse, offer or ask for help, close.

A neighbour answers an offer or a request by writing to its author (``POST
/conversations`` with the author's id), which shows neither flat nor phone number.
"""

from __future__ import annotations

from flask import g, jsonify

from appliance.domain import skills
from webui.api import blueprint, serialise
from webui.api.board import accept_charter_if_ticked
from webui.api.body import json_object, query_choice, text
from webui.auth import tenant_required
from webui.database import db


@blueprint.get("/skills")
@tenant_required
def skill_list():
    """Open offers and requests of help in my residence, newest first."""
    found = skills.browse(
        db(),
        g.profile,
        query_choice("kind", skills.KINDS),
        query_choice("category", skills.CATEGORIES),
    )
    return jsonify(skills=[serialise.skill(s) for s in found])


@blueprint.post("/skills")
@tenant_required
def add_skill():
    """Offer my help, or ask for help; neighbours see it at once."""
    body = json_object()
    accept_charter_if_ticked(body)
    skill_id = skills.add(
        db(),
        g.profile,
        text(body, "kind"),
        text(body, "category"),
        text(body, "title"),
        text(body, "description"),
    )
    return jsonify(serialise.skill(skills.get(db(), g.profile, skill_id))), 201


@blueprint.delete("/skills/<skill_id>")
@tenant_required
def close_skill(skill_id: str):
    """Close my offer or request: neighbours no longer see it."""
    skills.close(db(), g.profile, skill_id)
    return "", 204
