"""Help: a first-steps guide, questions people often ask, and asking the building's
digital mediator or caretaker for help."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from core.domain import help_desk
from core.domain.errors import DomainError
from webui.auth import tenant_required
from webui.database import db
from webui.forms import refuse, typed
from webui.portal import blueprint


def _context() -> dict:
    return {
        "topics": help_desk.TOPICS,
        "ways": help_desk.WAYS,
        "requests": help_desk.mine(db(), g.profile),
    }


@blueprint.get("/help")
@tenant_required
def help_page():
    """The first steps, the usual questions, and the form to ask for help."""
    return render_template("portal/help.html", values={}, errors={}, **_context())


@blueprint.post("/help")
@tenant_required
def ask_for_help():
    """Send my request to the building's mediator or caretaker."""
    values = typed("topic", "message", "how")
    try:
        help_desk.ask(db(), g.profile, values["topic"], values["message"], values["how"])
    except DomainError as error:
        return refuse("portal/help.html", error, values, **_context())
    flash(_("Your request is sent. Someone from your building will answer you soon."), "success")
    return redirect(url_for("portal.help_page", _anchor="my-requests"))
