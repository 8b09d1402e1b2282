"""Signing in and out through the API, sharing the pages' session cookie and rate limits.

A tenant types the household's code (``POST /session/code``), which starts the same
pending state as the pages; then either picks their name and types their PIN
(``/session/pin``) or creates a profile (``/session/profile``). Staff sign in with a
username and password. ``GET /session`` tells who is signed in and gives the CSRF token
to send as ``X-CSRFToken`` with every change.
"""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, session
from flask_babel import get_locale, refresh
from flask_wtf.csrf import generate_csrf

from appliance.domain import access_codes, estate, people
from appliance.domain.errors import N_, DomainError
from webui.access import check_code, check_pin, needs_a_member, pending, remember_code, vouch
from webui.api import blueprint, serialise
from webui.api.body import json_object, optional_text, text
from webui.api.problems import CodeFirst
from webui.auth import sign_in_staff, sign_in_tenant, sign_out
from webui.database import db
from webui.staff.sign_in import authenticate


def csrf_token() -> str:
    """Return the CSRF token of this session, making a new one after sign-in or sign-out."""
    if "csrf_token" not in session:
        # Signing in or out clears the session and with it the token this request had
        # cached: drop the cached one so the client gets a token that will be accepted.
        g.pop("csrf_token", None)
    return generate_csrf()


def _require_code() -> dict[str, Any]:
    typed_code = pending()
    if typed_code is None:
        raise CodeFirst()
    return typed_code


def _state():
    """Return who is signed in on this device, in the language now in use."""
    typed_code = pending()
    staff = None
    if g.staff is not None:
        staff = serialise.staff_member(
            g.staff, estate.list_buildings(db(), g.staff["building_ids"])
        )
    return jsonify(
        signed_in="tenant" if g.profile else "staff" if g.staff else None,
        profile=serialise.profile(g.profile) if g.profile else None,
        staff=staff,
        pending=serialise.household(
            people.household(db(), typed_code["dwelling_id"]), needs_a_member(typed_code)
        )
        if typed_code and not g.profile and not g.staff
        else None,
        locale=str(get_locale()),
        csrf_token=csrf_token(),
    )


def _now_acting_as(profile_id: str | None = None, staff_id: str | None = None) -> None:
    # The rest of this request, its answer's language included, is for the new person.
    g.profile = people.get_profile(db(), profile_id) if profile_id else None
    g.staff = people.get_staff(db(), staff_id) if staff_id else None
    refresh()


def _enter(profile_id: str):
    sign_in_tenant(profile_id)
    _now_acting_as(profile_id=profile_id)
    session["locale"] = g.profile["locale"]
    return _state()


@blueprint.get("/session")
def current():
    """Who is signed in on this device, and the CSRF token for changes."""
    return _state()


@blueprint.patch("/session")
def choose_language():
    """Choose the language of this device (and of the person signed in, if any)."""
    locale = text(json_object(), "locale")
    if locale not in people.LOCALES:
        raise DomainError("locale_unknown", N_("Choose one of the languages shown."), "locale")
    if g.profile:
        people.set_preferences(db(), g.profile["id"], locale=locale)
    elif g.staff:
        people.set_staff_locale(db(), g.staff["id"], locale)
    session["locale"] = locale
    _now_acting_as(
        profile_id=g.profile["id"] if g.profile else None,
        staff_id=g.staff["id"] if g.staff else None,
    )
    return _state()


@blueprint.post("/session/code")
def enter_code():
    """Check the household's code and list who already has a profile there."""
    found = check_code(text(json_object(), "code"))
    remember_code(found)
    members = people.household(db(), found["dwelling_id"])
    return jsonify(serialise.household(members, access_codes.is_used(db(), found["id"])))


@blueprint.post("/session/pin")
def enter_pin():
    """Sign in as a member of the household with their PIN."""
    typed_code = _require_code()
    body = json_object()
    profile_id = text(body, "profile_id")
    check_pin(typed_code["dwelling_id"], profile_id, text(body, "pin"))
    return _enter(profile_id)


@blueprint.post("/session/profile")
def create_profile():
    """Create a profile in the household (the first one activates the code) and sign in."""
    typed_code = _require_code()
    body = json_object()
    vouch(
        typed_code, optional_text(body, "member_id") or "", optional_text(body, "member_pin") or ""
    )
    profile_id = people.create_profile(
        db(),
        typed_code["code_id"],
        typed_code["dwelling_id"],
        text(body, "display_name"),
        text(body, "locale"),
        text(body, "pin"),
        text(body, "pin_confirm"),
    )
    return _enter(profile_id), 201


@blueprint.post("/session/staff")
def staff_sign_in():
    """Sign in as staff with a username and password."""
    body = json_object()
    staff_id = authenticate(text(body, "username"), text(body, "password"))
    sign_in_staff(staff_id)
    _now_acting_as(staff_id=staff_id)
    return _state()


@blueprint.delete("/session")
def leave():
    """Sign out of this device, keeping its language."""
    sign_out()
    _now_acting_as()
    return _state()
