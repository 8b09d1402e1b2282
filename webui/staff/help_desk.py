"""Requests for help from the tenants of my buildings, for the digital mediator or the
caretaker to answer."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from core.domain import help_desk, roles
from core.domain.errors import DomainError
from webui.auth import staff_required
from webui.database import db
from webui.forms import refuse, typed
from webui.staff import blueprint


def _context() -> dict:
    return {
        "requests": help_desk.waiting(db(), g.staff["building_ids"]),
        "topics": help_desk.TOPICS,
        "ways": help_desk.WAYS,
    }


@blueprint.get("/help-requests")
@staff_required(roles.ANSWER_HELP)
def help_requests():
    """What tenants asked and nobody answered yet, oldest first."""
    return render_template("staff/help_requests.html", values={}, errors={}, **_context())


@blueprint.post("/help-requests/<request_id>")
@staff_required(roles.ANSWER_HELP)
def answer_help(request_id: str):
    """Answer a request; the tenant reads it in the portal."""
    values = typed("answer")
    try:
        help_desk.answer(db(), g.staff, request_id, values["answer"])
    except DomainError as error:
        return refuse("staff/help_requests.html", error, values, failed=request_id, **_context())
    flash(_("Your answer is sent."), "success")
    return redirect(url_for("staff.help_requests"))
