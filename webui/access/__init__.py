"""Tenants come in: type the code from the letter, then choose who you are or join.

The first person of a household to use the code activates it and creates their profile.
A letter's code creates one profile on its own, no more: anyone else who joins the
household needs a member to vouch for them with their own PIN (or a new letter from the
caretaker, whose code again creates one profile). Holding the paper is not enough to add
people to a household. On a new device: the code, then your name, then your PIN.
"""

from __future__ import annotations

import time

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for

from core.domain import access_codes, building_contacts, people, rate_limits
from core.domain.errors import N_, DomainError
from webui.auth import sign_in_tenant, sign_out
from webui.database import db, keep_changes
from webui.forms import refuse, typed
from webui.navigation import local_target

blueprint = Blueprint("access", __name__)

# The sign-in page, where a letter's QR code leads (with the code after "#", see
# provisioning/sign_in_links.py); commands that print letters read it here too.
SIGN_IN_PATH = "/welcome"
# How long a typed code is remembered while the person chooses their name or PIN.
PENDING_SECONDS = 15 * 60


def _limits() -> tuple[int, int, int]:
    config = current_app.config["RESIDACOEUR"]
    return (
        config["login_attempts_per_address"],
        config["login_attempts_per_dwelling"],
        config["login_window_seconds"],
    )


def address_key() -> str:
    """Return the rate-limit key of the person's network address."""
    return f"address:{request.remote_addr}"


def pending() -> dict | None:
    """Return the code typed on this device a moment ago, or the household this device
    belongs to (someone of it signed in here and handed it over); None once too old or
    no longer working (replaced, or the household moved out)."""
    typed_code = session.get("pending_code")
    if not typed_code or time.time() - typed_code["at"] > PENDING_SECONDS:
        typed_code = session.get("household")
        if typed_code is None:
            return None
    if not access_codes.is_live(db(), typed_code["code_id"]):
        session.pop("pending_code", None)
        session.pop("household", None)
        return None
    return typed_code


def remember_code(found: dict, next_page: str = "") -> None:
    """Keep the household's code for this device while the person says who they are."""
    session["pending_code"] = {
        "code_id": found["id"],
        "dwelling_id": found["dwelling_id"],
        "at": time.time(),
        "next": local_target(next_page, ""),
    }


def check_code(typed_code: str) -> dict:
    """Find the dwelling's live code, counting a failure against the address."""
    per_address, _per_dwelling, window = _limits()
    rate_limits.check(db(), address_key(), per_address, window)
    found = access_codes.find(db(), current_app.config["ACCESS_CODE_PEPPER"], typed_code)
    if found is None:
        rate_limits.record_failure(db(), address_key(), per_address, window)
        keep_changes()
        raise DomainError(
            "code_unknown",
            N_("This code does not work. Check it on your letter, or ask your caretaker."),
            "code",
        )
    return found


def check_pin(dwelling_id: str, profile_id: str, pin: str, field: str = "pin") -> None:
    """Check a household member's PIN, counting failures per address and per member.

    Only this member's own right PIN clears their count: another member signing in, or a
    new profile, leaves it as it is.
    """
    per_address, per_member, window = _limits()
    member_key = f"pin:{dwelling_id}:{profile_id}"
    rate_limits.check(db(), address_key(), per_address, window)
    rate_limits.check(db(), member_key, per_member, window)
    if not people.check_pin(db(), dwelling_id, profile_id, pin):
        rate_limits.record_failure(db(), address_key(), per_address, window)
        rate_limits.record_failure(db(), member_key, per_member, window)
        keep_changes()
        raise DomainError("pin_wrong", N_("This PIN is not right. Try again."), field)
    rate_limits.clear(db(), member_key)


def needs_a_member(typed_code: dict) -> bool:
    """Tell whether joining the household needs a member to vouch with their PIN."""
    return access_codes.is_used(db(), typed_code["code_id"])


def vouch(typed_code: dict, member_id: str, member_pin: str) -> None:
    """Check that a member of the household vouches for a newcomer, when that is needed."""
    if not needs_a_member(typed_code):
        return
    if not member_id:
        raise DomainError(
            "member_missing",
            N_("Choose the member of your home who says you live there."),
            "member_id",
        )
    check_pin(typed_code["dwelling_id"], member_id, member_pin, field="member_pin")


@blueprint.route(SIGN_IN_PATH, methods=["GET", "POST"])
def start():
    """Ask for the code printed on the household's letter."""
    if g.profile:
        return redirect(url_for("portal.home"))
    values = typed("code", "next")
    if request.method == "GET":
        return render_template(
            "access/code.html",
            values={"next": request.args.get("next", "")},
            contacts=building_contacts.of_buildings(db()),
        )
    try:
        found = check_code(values["code"])
    except DomainError as error:
        return refuse(
            "access/code.html", error, values, contacts=building_contacts.of_buildings(db())
        )
    remember_code(found, values["next"])
    if people.household(db(), found["dwelling_id"]):
        return redirect(url_for("access.who"))
    return redirect(url_for("access.join"))


@blueprint.get("/welcome/who")
def who():
    """Show the household's members so the person taps their own name."""
    typed_code = pending()
    if typed_code is None:
        return redirect(url_for("access.start"))
    members = people.household(db(), typed_code["dwelling_id"])
    if not members:
        return redirect(url_for("access.join"))
    return render_template("access/who.html", members=members)


@blueprint.route("/welcome/who/<profile_id>", methods=["GET", "POST"])
def pin(profile_id: str):
    """Ask the chosen member for their personal PIN."""
    typed_code = pending()
    if typed_code is None:
        return redirect(url_for("access.start"))
    members = {m["id"]: m for m in people.household(db(), typed_code["dwelling_id"])}
    member = members.get(profile_id)
    if member is None:
        return redirect(url_for("access.who"))
    if request.method == "GET":
        return render_template("access/pin.html", member=member, values={})
    try:
        check_pin(typed_code["dwelling_id"], profile_id, request.form.get("pin", ""))
    except DomainError as error:
        return refuse("access/pin.html", error, {}, member=member)
    return _enter(profile_id, typed_code)


@blueprint.route("/welcome/join", methods=["GET", "POST"])
def join():
    """Create a profile in the household (the first one activates the code)."""
    typed_code = pending()
    if typed_code is None:
        return redirect(url_for("access.start"))
    members = people.household(db(), typed_code["dwelling_id"])
    context = {
        "first": not members,
        # Who may vouch for the newcomer, by id, when someone must.
        "members": {m["id"]: m["display_name"] for m in members}
        if needs_a_member(typed_code)
        else {},
    }
    if request.method == "GET":
        values = {
            "locale": session.get("locale", current_app.config["RESIDACOEUR"]["default_locale"])
        }
        return render_template("access/join.html", values=values, **context)
    values = typed("display_name", "locale", "member_id")
    try:
        vouch(typed_code, values["member_id"], request.form.get("member_pin", ""))
        profile_id = people.create_profile(
            db(),
            typed_code["code_id"],
            typed_code["dwelling_id"],
            values["display_name"],
            values["locale"],
            request.form.get("pin", ""),
            request.form.get("pin_confirm", ""),
        )
    except DomainError as error:
        return refuse("access/join.html", error, values, **context)
    return _enter(profile_id, typed_code)


def _enter(profile_id: str, typed_code: dict):
    sign_in_tenant(profile_id)
    profile = people.get_profile(db(), profile_id)
    session["locale"] = profile["locale"]
    # The device now belongs to the household: another member can take it without the
    # letter, with their own PIN ("Change person").
    session["household"] = {
        "code_id": typed_code["code_id"],
        "dwelling_id": typed_code["dwelling_id"],
    }
    return redirect(local_target(typed_code.get("next"), url_for("portal.home")))


@blueprint.post("/welcome/change-person")
def change_person():
    """Hand the device to another member of the household: the person signs out, the
    device stays with the household, and the next one taps their name and PIN."""
    household = session.get("household")
    sign_out()
    if household is None:
        return redirect(url_for("access.start"))
    session["household"] = household
    return redirect(url_for("access.who"))


@blueprint.get("/sign-out")
def confirm_leave():
    """Ask before the device forgets the household: coming back needs the letter."""
    if g.profile is None:
        return redirect(url_for("access.start"))
    return render_template("access/leave.html")


@blueprint.post("/sign-out")
def leave():
    """Sign out of this device; for a tenant the device also forgets the household."""
    staff = g.staff is not None
    sign_out()
    return redirect(url_for("staff.sign_in" if staff else "access.start"))
