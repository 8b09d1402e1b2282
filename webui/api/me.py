"""The signed-in tenant's own profile: who they are, their language and text size."""

from __future__ import annotations

from flask import g, jsonify, session
from flask_babel import refresh

from appliance.domain import people
from webui.api import blueprint, serialise
from webui.api.body import json_object, optional_integer, optional_text
from webui.auth import tenant_required
from webui.database import db


@blueprint.get("/me")
@tenant_required
def me():
    """The signed-in tenant's profile."""
    return jsonify(serialise.profile(g.profile))


@blueprint.patch("/me")
@tenant_required
def change_preferences():
    """Change the language or the text size; fields left out stay as they are."""
    body = json_object()
    locale = optional_text(body, "locale")
    text_size = optional_integer(body, "text_size")
    people.set_preferences(db(), g.profile["id"], locale=locale, text_size=text_size)
    # The pages read these from the session: both stay in step on this device.
    if locale is not None:
        session["locale"] = locale
    if text_size is not None:
        session["text_size"] = text_size
    g.profile = people.get_profile(db(), g.profile["id"])
    refresh()
    return jsonify(serialise.profile(g.profile))
