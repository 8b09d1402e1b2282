"""Flagging what breaks the charter: a post, an answer, a private message or a person.

What three households flag is hidden until a caretaker of the building decides.
"""

from __future__ import annotations

from flask import g
from pydantic import Field

from core.domain import moderation
from webui.api import blueprint
from webui.api.fields import Answer, Body, Text, choice
from webui.api.spec import Response, spec
from webui.auth import tenant_required
from webui.database import db


class NewFlag(Body):
    """Something that breaks the charter, and why."""

    kind: Text = choice(moderation.TARGETS)
    target_id: Text = Field(description="The post, answer, message or person (profile id).")
    reason: Text = choice(moderation.REASONS)
    note: Text = ""


class Flagged(Answer):
    """What became of what was flagged."""

    hidden: bool = Field(description="Enough households flagged it: hidden until decided.")


@blueprint.post("/flags")
@tenant_required
@spec.validate(resp=Response(HTTP_200=Flagged, HTTP_404=None), tags=["community"])
def flag(json: NewFlag):
    """Flag something for the caretaker; say whether it is now hidden."""
    hidden = moderation.flag(db(), g.profile, json.kind, json.target_id, json.reason, json.note)
    return Flagged(hidden=hidden)
