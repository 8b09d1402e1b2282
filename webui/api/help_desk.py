"""Asking the building's digital mediator or caretaker for help, and reading the answer."""

from __future__ import annotations

from flask import g
from pydantic import Field

from core.domain import help_desk
from webui.api import blueprint
from webui.api.fields import Body, Text, choice
from webui.api.help_shapes import HelpRequest, HelpRequestList
from webui.api.spec import Response, spec
from webui.auth import tenant_required
from webui.database import db


class NewHelpRequest(Body):
    """What the tenant needs help with, and how they would like to be helped."""

    topic: Text = choice(help_desk.TOPICS)
    message: Text = Field(default="", json_schema_extra={"maxLength": help_desk.MAX_TEXT})
    how: Text = choice(help_desk.WAYS)


@blueprint.get("/help-requests")
@tenant_required
@spec.validate(resp=Response(HTTP_200=HelpRequestList), tags=["tenant"])
def my_help_requests():
    """My requests for help, newest first, with their answers."""
    found = help_desk.mine(db(), g.profile)
    return HelpRequestList(help_requests=[HelpRequest.of(r) for r in found])


@blueprint.post("/help-requests")
@tenant_required
@spec.validate(resp=Response(HTTP_201=HelpRequest), tags=["tenant"])
def ask_for_help(json: NewHelpRequest):
    """Send a request for help to my building's mediator or caretaker."""
    request_id = help_desk.ask(db(), g.profile, json.topic, json.message, json.how)
    asked = next(r for r in help_desk.mine(db(), g.profile) if r["id"] == request_id)
    return HelpRequest.of(asked), 201
