"""The signed-in tenant's own profile and data: preferences, download, erasure."""

from __future__ import annotations

from flask import Response, g, jsonify, session
from flask_babel import refresh

from appliance.domain import erasure, my_data, people
from appliance.domain.errors import N_, DomainError
from webui.api import blueprint, serialise
from webui.api.body import ZIP, json_object, optional_integer, optional_text, text
from webui.api.session import leave
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
    """Change the language, the text size or the contact shown in my messages (empty to
    show none); fields left out stay as they are."""
    body = json_object()
    locale = optional_text(body, "locale")
    text_size = optional_integer(body, "text_size")
    people.set_preferences(db(), g.profile["id"], locale=locale, text_size=text_size)
    if "contact" in body:
        people.set_contact(db(), g.profile["id"], text(body, "contact"))
    # The pages read these from the session: both stay in step on this device.
    if locale is not None:
        session["locale"] = locale
    if text_size is not None:
        session["text_size"] = text_size
    g.profile = people.get_profile(db(), g.profile["id"])
    refresh()
    return jsonify(serialise.profile(g.profile))


@blueprint.get("/me/data")
@tenant_required
def download_my_data():
    """Everything the box holds about me, with my photos, as one zip file."""
    response = Response(my_data.archive(db(), g.profile), mimetype=ZIP)
    response.headers["Content-Disposition"] = 'attachment; filename="mes-donnees.zip"'
    return response


@blueprint.post("/me/erase")
@tenant_required
def erase_profile():
    """Erase my profile, what I wrote deleted or kept without my name; this signs me out."""
    body = json_object()
    # Confirmed in so many words: an erasure cannot be undone.
    if body.get("confirm") is not True:
        raise DomainError("confirm_missing", N_("Tick the box to confirm."), "confirm")
    erasure.erase(db(), g.profile["id"], text(body, "what_i_wrote"))
    return leave()
