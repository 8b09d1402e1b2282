"""The digital mediator's first-steps sessions: the coming ones, with who comes; a form to
put one in the calendar of one of their buildings, to change it or to cancel it."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from core.domain import first_steps, roles, staff_buildings
from core.domain.errors import N_, DomainError, FieldChecks
from webui import event_form, room_orders
from webui.auth import staff_required
from webui.database import db
from webui.forms import refuse, typed
from webui.staff import blueprint

FIELDS = ("building_id", "scope", *event_form.FIELDS)
# Who is invited, as the mediator reads it (tenants read "My building").
SCOPES = {
    "building": N_("The tenants of the building"),
    "residence": N_("The whole residence"),
}
SCOPE_ICONS = {"building": "building", "residence": "home"}


def _form_context() -> dict:
    return {
        "buildings": staff_buildings.buildings(db(), g.staff),
        "scopes": SCOPES,
        "scope_icons": SCOPE_ICONS,
    }


@blueprint.get("/sessions")
@staff_required(roles.ORGANISE_SESSIONS)
def sessions():
    """My sessions not over yet, soonest first, with how many people come."""
    return render_template(
        "staff/sessions.html", sessions=first_steps.upcoming(db(), g.staff), scopes=SCOPES
    )


@blueprint.get("/sessions/new")
@staff_required(roles.ORGANISE_SESSIONS)
def new_session():
    """The form to organise a session, in my first building, for its tenants."""
    context = _form_context()
    values = {
        "building_id": context["buildings"][0]["id"] if context["buildings"] else "",
        "scope": "building",
        "organiser": g.staff["display_name"],
    }
    return render_template("staff/session_form.html", values=values, errors={}, **context)


@blueprint.post("/sessions")
@staff_required(roles.ORGANISE_SESSIONS)
def organise_session():
    """Put the session in the calendar; if something is wrong, show the form again."""
    values = typed(*FIELDS)
    checks = FieldChecks()
    try:
        first_steps.organise(
            db(),
            g.staff,
            values["building_id"],
            values["scope"],
            organiser_name=values["organiser"],
            checks=checks,
            **event_form.read(values, checks),
        )
    except DomainError as error:
        error = event_form.on_form(error, FIELDS)
        return refuse("staff/session_form.html", error, values, **_form_context())
    flash(_("Your session is in the calendar. Tenants see it in their events."), "success")
    return redirect(url_for("staff.sessions"))


@blueprint.get("/sessions/<event_id>/change")
@staff_required(roles.ORGANISE_SESSIONS)
def change_session_form(event_id: str):
    """The session's form, filled with it as it is now."""
    session = first_steps.get(db(), g.staff, event_id)
    return render_template(
        "staff/session_form.html",
        values=event_form.values_of(session),
        errors={},
        item=session,
        **_form_context(),
    )


@blueprint.post("/sessions/<event_id>/change")
@staff_required(roles.ORGANISE_SESSIONS)
def change_session(event_id: str):
    """Change my session; those who said they come are told."""
    session = first_steps.get(db(), g.staff, event_id)
    values = typed(*FIELDS)
    checks = FieldChecks()
    try:
        fields = event_form.read(values, checks)
        first_steps.change(db(), g.staff, event_id, checks=checks, **fields)
    except DomainError as error:
        error = event_form.on_form(error, FIELDS)
        context = _form_context()
        return refuse("staff/session_form.html", error, values, item=session, **context)
    if session["video_room"] and not fields["video_room"]:
        room_orders.end_event_room(current_app.config["RESIDACOEUR"], g.staff["id"], event_id)
    flash(_("The session is changed. Those who were coming are told."), "success")
    return redirect(url_for("staff.sessions"))


@blueprint.get("/sessions/<event_id>/cancel")
@staff_required(roles.ORGANISE_SESSIONS)
def confirm_session_cancellation(event_id: str):
    """Ask before cancelling a session."""
    return render_template(
        "staff/session_cancel.html", item=first_steps.get(db(), g.staff, event_id)
    )


@blueprint.post("/sessions/<event_id>/cancel")
@staff_required(roles.ORGANISE_SESSIONS)
def cancel_session(event_id: str):
    """Cancel my session; those who said they come are told."""
    session = first_steps.get(db(), g.staff, event_id)
    first_steps.cancel(db(), g.staff, event_id)
    if session["video_room"]:
        room_orders.end_event_room(current_app.config["RESIDACOEUR"], g.staff["id"], event_id)
    flash(_("The session is cancelled. Those who were coming are told."), "success")
    return redirect(url_for("staff.sessions"))
