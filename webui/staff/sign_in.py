"""The staff sign-in and sign-out pages; credentials are checked by
``webui/staff_credentials.py``."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for

from core.domain.errors import DomainError
from webui.auth import sign_in_staff, sign_out
from webui.forms import refuse, typed
from webui.navigation import local_target
from webui.staff import blueprint
from webui.staff_credentials import authenticate


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """The staff sign-in form."""
    if g.staff:
        return redirect(url_for("staff.dashboard"))
    if request.method == "GET":
        return render_template("staff/sign_in.html", values={"next": request.args.get("next", "")})
    values = typed("username", "next")
    try:
        staff_id = authenticate(values["username"], request.form.get("password", ""))
    except DomainError as error:
        return refuse("staff/sign_in.html", error, values)
    sign_in_staff(staff_id)
    return redirect(local_target(values["next"], url_for("staff.dashboard")))


@blueprint.post("/sign-out")
def leave():
    """Sign out of the staff pages (at the hub, the only way out there is)."""
    sign_out()
    return redirect(url_for("staff.sign_in"))
