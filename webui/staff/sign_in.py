"""Staff sign in with a username and password, rate-limited per address and per account."""

from __future__ import annotations

from flask import current_app, g, redirect, render_template, request, url_for

from appliance.domain import audit, people, rate_limits
from appliance.domain.errors import N_, DomainError
from webui.access import address_key
from webui.auth import sign_in_staff, sign_out
from webui.database import db, keep_changes
from webui.forms import refuse, typed
from webui.navigation import local_target
from webui.staff import blueprint


def authenticate(username: str, password: str) -> str:
    """Return the staff id for these credentials, counting failures against both keys."""
    config = current_app.config["RESIDACOEUR"]
    window = config["login_window_seconds"]
    account_key = f"staff:{(username or '').strip().lower()}"
    rate_limits.check(db(), address_key(), config["login_attempts_per_address"], window)
    rate_limits.check(db(), account_key, config["login_attempts_per_dwelling"], window)
    staff_id = people.authenticate_staff(db(), username, password)
    if staff_id is None:
        rate_limits.record_failure(db(), address_key(), window)
        rate_limits.record_failure(db(), account_key, window)
        keep_changes()
        raise DomainError(
            "credentials_wrong", N_("The username or the password is not right."), "password"
        )
    rate_limits.clear(db(), account_key)
    audit.record(db(), staff_id, "staff.sign_in", address=request.remote_addr)
    return staff_id


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
