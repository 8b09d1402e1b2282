"""My profile and my data: what I show neighbours, the TVs signed in as me, download
everything, erase my profile."""

from __future__ import annotations

from flask import Response, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from core.domain import calls, erasure, my_data, people, sessions
from core.domain.errors import N_, DomainError
from webui.auth import tenant_required
from webui.database import db
from webui.forms import refuse, typed
from webui.portal import blueprint
from webui.tv import limits


def _page(values: dict | None = None, error: DomainError | None = None):
    values = values if values is not None else {"contact": g.profile.get("contact") or ""}
    tvs = sessions.of_device(db(), g.profile["id"], limits.TV)
    if error is None:
        return render_template("portal/my_profile.html", values=values, errors={}, tvs=tvs)
    return refuse("portal/my_profile.html", error, values, tvs=tvs)


@blueprint.get("/me")
@tenant_required
def my_profile():
    """What neighbours see of me, my data, and erasing my profile."""
    return _page()


@blueprint.post("/me/contact")
@tenant_required
def set_contact():
    """Choose a contact detail to show in my messages (or none)."""
    values = typed("contact")
    try:
        contact = people.set_contact(db(), g.profile["id"], values["contact"])
    except DomainError as error:
        return _page(values, error)
    flash(
        _("Your neighbours now see it in your messages.")
        if contact
        else _("Your neighbours see your name only."),
        "success",
    )
    return redirect(url_for("portal.my_profile"))


@blueprint.post("/me/calls")
@tenant_required
def set_accepts_calls():
    """Say whether neighbours of my building may call me by video."""
    accepts = request.form.get("accepts_calls") == "yes"
    calls.set_accepts_calls(db(), g.profile["id"], accepts)
    flash(
        _("Neighbours of your building can now call you by video.")
        if accepts
        else _("Neighbours can no longer call you by video."),
        "success",
    )
    return redirect(url_for("portal.my_profile"))


@blueprint.get("/me/my-data.zip")
@tenant_required
def download_my_data():
    """Everything the box holds about me, with my photos, in one file."""
    response = Response(my_data.archive(db(), g.profile), mimetype="application/zip")
    response.headers["Content-Disposition"] = 'attachment; filename="mes-donnees.zip"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/me/erase")
@tenant_required
def erase_profile():
    """Erase my profile, after I chose what becomes of what I wrote and confirmed."""
    values = typed("what_i_wrote", "confirm")
    try:
        if values["confirm"] != "yes":
            raise DomainError("confirm_missing", N_("Tick the box to confirm."), "confirm")
        erasure.erase(db(), g.profile["id"], values["what_i_wrote"])
    except DomainError as error:
        return _page(values, error)
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("Your profile is erased. Goodbye, and thank you."), "success")
    return redirect(url_for("access.start"))
