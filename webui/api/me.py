"""The signed-in tenant's own profile and data: preferences, download, erasure."""

from __future__ import annotations

from flask import Response as FlaskResponse
from flask import g, session
from flask_babel import refresh
from pydantic import Field

from core.domain import erasure, my_data, people
from core.domain.errors import N_, DomainError
from webui.api import blueprint
from webui.api.fields import Body, Confirmed, OptionalText, Text, WholeNumber, choice
from webui.api.openapi import media
from webui.api.people_shapes import Profile, Session
from webui.api.session import signed_out
from webui.api.spec import ZIP, Response, spec
from webui.auth import tenant_required
from webui.database import db

MY_DATA_ARCHIVE = {
    "type": "string",
    "contentMediaType": ZIP,
    "description": "A zip file: my-data.json with everything the box holds about the tenant, "
    "and photos/ with the photos of their posts and of their home's reports.",
}


class PreferencesChange(Body):
    """Preferences to change; those left out stay."""

    locale: OptionalText = Field(None, json_schema_extra={"enum": list(people.LOCALES)})
    text_size: WholeNumber = Field(None, json_schema_extra={"enum": list(people.TEXT_SIZES)})
    contact: OptionalText = Field(
        None,
        description=f"Shown to the people I write to (at most {people.MAX_CONTACT} "
        "characters); empty shows nothing.",
    )


class Erasure(Body):
    """Erasing the tenant's profile, confirmed. Their home's reports stay: they are the
    landlord's record of the home."""

    what_i_wrote: Text = choice(
        erasure.CHOICES, "Posts, answers and messages deleted, or kept without a name."
    )
    confirm: Confirmed


@blueprint.get("/me")
@tenant_required
@spec.validate(resp=Response(HTTP_200=Profile), tags=["tenant"])
def me():
    """The signed-in tenant's profile."""
    return Profile.of(g.profile)


@blueprint.patch("/me")
@tenant_required
@spec.validate(resp=Response(HTTP_200=Profile), tags=["tenant"])
def change_preferences(json: PreferencesChange):
    """Change the language, the text size or the contact shown in my messages (empty to
    show none); fields left out stay as they are."""
    people.set_preferences(db(), g.profile["id"], locale=json.locale, text_size=json.text_size)
    if "contact" in json.model_fields_set:
        people.set_contact(db(), g.profile["id"], json.contact or "")
    # The pages read these from the session: both stay in step on this device.
    if json.locale is not None:
        session["locale"] = json.locale
    if json.text_size is not None:
        session["text_size"] = json.text_size
    g.profile = people.get_profile(db(), g.profile["id"])
    refresh()
    return Profile.of(g.profile)


@blueprint.get("/me/data")
@tenant_required
@media(answers=ZIP, schema=MY_DATA_ARCHIVE)
@spec.validate(resp=Response(HTTP_200=None), tags=["tenant"])
def download_my_data():
    """Everything the box holds about me, with my photos, as one zip file."""
    response = FlaskResponse(my_data.archive(db(), g.profile), mimetype=ZIP)
    response.headers["Content-Disposition"] = 'attachment; filename="mes-donnees.zip"'
    return response


@blueprint.post("/me/erase")
@tenant_required
@spec.validate(resp=Response(HTTP_200=Session), tags=["tenant"])
def erase_profile(json: Erasure):
    """Erase my profile, what I wrote deleted or kept without my name; this signs me out."""
    # Confirmed in so many words: an erasure cannot be undone.
    if not json.confirm:
        raise DomainError("confirm_missing", N_("Tick the box to confirm."), "confirm")
    erasure.erase(db(), g.profile["id"], json.what_i_wrote)
    return signed_out()
