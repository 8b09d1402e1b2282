"""Help: a first-steps guide, questions people often ask, and asking the building's
digital mediator or caretaker for help."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from core.domain import building_contacts, help_desk
from core.domain.errors import DomainError
from webui.auth import tenant_required
from webui.database import db
from webui.forms import refuse, typed
from webui.portal import blueprint


def _context() -> dict:
    # Someone who cannot sign in (a lost letter, a forgotten PIN) sees everyone who can
    # help on this box; a tenant, the people of their building.
    building_ids = [g.profile["building_id"]] if g.profile else None
    return {
        "topics": help_desk.TOPICS,
        "ways": help_desk.WAYS,
        "requests": help_desk.mine(db(), g.profile) if g.profile else [],
        "contacts": building_contacts.of_buildings(db(), building_ids),
    }


@blueprint.get("/help")
def help_page():
    """The first steps, the usual questions, who can help in the building, and (signed
    in) the form to ask for help; open to anyone, since those who cannot sign in need it
    most."""
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
