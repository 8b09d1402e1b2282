"""Requests for help from the tenants of my buildings, for the digital mediator or the
caretaker to answer in the portal."""

from __future__ import annotations

from flask import g

from core.domain import help_desk, roles, staff_buildings
from webui.api import blueprint
from webui.api.fields import Body, Text
from webui.api.help_shapes import HelpRequestQueue, WaitingHelpRequest
from webui.api.spec import Response, spec
from webui.auth import staff_required
from webui.database import db


class HelpAnswer(Body):
    """An answer to a request for help."""

    answer: Text


def _waiting() -> HelpRequestQueue:
    buildings = {b["id"]: b for b in staff_buildings.buildings(db(), g.staff)}
    found = help_desk.waiting(db(), g.staff["building_ids"])
    return HelpRequestQueue(
        help_requests=[WaitingHelpRequest.of(r, buildings[r["building_id"]]) for r in found]
    )


@blueprint.get("/staff/help-requests")
@staff_required(roles.ANSWER_HELP)
@spec.validate(resp=Response(HTTP_200=HelpRequestQueue), tags=["staff"])
def waiting_help_requests():
    """What tenants of my buildings asked and nobody answered yet, oldest first."""
    return _waiting()


@blueprint.post("/staff/help-requests/<request_id>/answer")
@staff_required(roles.ANSWER_HELP)
@spec.validate(resp=Response(HTTP_200=HelpRequestQueue), tags=["staff"])
def answer_help(request_id: str, json: HelpAnswer):
    """Answer a request; the tenant reads it in the portal and is told."""
    help_desk.answer(db(), g.staff, request_id, json.answer)
    return _waiting()
