"""Flagging what breaks the charter: a post, an answer, a private message or a person.

What three households flag is hidden until a caretaker of the building decides.
"""

from __future__ import annotations

from flask import g, jsonify

from appliance.domain import moderation
from webui.api import blueprint
from webui.api.body import json_object, text
from webui.auth import tenant_required
from webui.database import db


@blueprint.post("/flags")
@tenant_required
def flag():
    """Flag something for the caretaker; say whether it is now hidden."""
    body = json_object()
    hidden = moderation.flag(
        db(),
        g.profile,
        text(body, "kind"),
        text(body, "target_id"),
        text(body, "reason"),
        text(body, "note"),
    )
    return jsonify(hidden=hidden)
