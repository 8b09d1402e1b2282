"""Signing in and out through the API, sharing the pages' session cookie and rate limits.

A tenant types the household's code (``POST /session/code``), which starts the same
pending state as the pages; then either picks their name and types their PIN
(``/session/pin``) or creates a profile (``/session/profile``). Staff sign in with a
username and password. ``GET /session`` tells who is signed in and gives the CSRF token
to send as ``X-CSRFToken`` with every change.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, session
from flask_babel import get_locale, refresh
from flask_wtf.csrf import generate_csrf
from pydantic import Field

from core.domain import access_codes, estate, people
from core.domain.errors import N_, DomainError
from webui.access import check_code, check_pin, needs_a_member, pending, remember_code, vouch
from webui.api import blueprint
from webui.api.fields import Body, Text, choice
from webui.api.people_shapes import Household, Profile, Session, StaffMember
from webui.api.problems import CodeFirst
from webui.api.spec import Response, spec
from webui.auth import sign_in_staff, sign_in_tenant, sign_out
from webui.database import db
from webui.staff_credentials import authenticate


class LanguageChoice(Body):
    """A language."""

    locale: Text = choice(people.LOCALES)


class CodeRequest(Body):
    """The code from the household's letter, dashes and case as typed."""

    code: Text


class PinRequest(Body):
    """A household member and their PIN."""

    profile_id: Text = Field(description="Opaque identifier.")
    pin: Text


class ProfileRequest(Body):
    """A new household member. Once the code has created a profile, a member of the
    household vouches for the newcomer with their PIN."""

    display_name: Text
    locale: Text = choice(people.LOCALES)
    pin: Text = Field(description="4 to 8 digits.")
    pin_confirm: Text
    member_id: Text = Field("", description="The member who vouches, when one must.")
    member_pin: Text = Field("", description="That member's PIN.")


class StaffSignIn(Body):
    """A staff account's credentials."""

    username: Text
    password: Text


def csrf_token() -> str:
    """Return the CSRF token of this session, making a new one after sign-in or sign-out."""
    if "csrf_token" not in session:
        # Signing in or out clears the session and with it the token this request had
        # cached: drop the cached one so the client gets a token that will be accepted.
        g.pop("csrf_token", None)
    return generate_csrf()


def _code_typed(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let through only a device where a household's code was typed a moment ago, before
    its body is read, handing the view that code."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        typed_code = pending()
        if typed_code is None:
            raise CodeFirst()
        return view(*args, typed_code=typed_code, **kwargs)

    return wrapped


def _state() -> Session:
    """Return who is signed in on this device, in the language now in use."""
    typed_code = pending()
    staff = None
    if g.staff is not None:
        staff = StaffMember.of(g.staff, estate.list_buildings(db(), g.staff["building_ids"]))
    return Session(
        signed_in="tenant" if g.profile else "staff" if g.staff else None,
        profile=Profile.of(g.profile) if g.profile else None,
        staff=staff,
        pending=Household.of(
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


def _enter(profile_id: str) -> Session:
    sign_in_tenant(profile_id)
    _now_acting_as(profile_id=profile_id)
    session["locale"] = g.profile["locale"]
    return _state()


def signed_out() -> Session:
    """Sign out of this device, keeping its language; return the session left."""
    sign_out()
    _now_acting_as()
    return _state()


@blueprint.get("/session")
@spec.validate(resp=Response(HTTP_200=Session), tags=["session"])
def current():
    """Who is signed in on this device, and the CSRF token for changes."""
    return _state()


@blueprint.patch("/session")
@spec.validate(resp=Response(HTTP_200=Session), tags=["session"])
def choose_language(json: LanguageChoice):
    """Choose the language of this device (and of the person signed in, if any)."""
    locale = json.locale
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
@spec.validate(resp=Response(HTTP_200=Household, HTTP_429=None), tags=["session"])
def enter_code(json: CodeRequest):
    """Check the household's code and list who already has a profile there."""
    found = check_code(json.code)
    remember_code(found)
    members = people.household(db(), found["dwelling_id"])
    return Household.of(members, access_codes.is_used(db(), found["id"]))


@blueprint.post("/session/pin")
@_code_typed
@spec.validate(resp=Response(HTTP_200=Session, HTTP_401=None, HTTP_429=None), tags=["session"])
def enter_pin(typed_code: dict[str, Any], json: PinRequest):
    """Sign in as a member of the household with their PIN."""
    check_pin(typed_code["dwelling_id"], json.profile_id, json.pin)
    return _enter(json.profile_id)


@blueprint.post("/session/profile")
@_code_typed
@spec.validate(resp=Response(HTTP_201=Session, HTTP_401=None), tags=["session"])
def create_profile(typed_code: dict[str, Any], json: ProfileRequest):
    """Create a profile in the household (the first one activates the code) and sign in."""
    vouch(typed_code, json.member_id, json.member_pin)
    profile_id = people.create_profile(
        db(),
        typed_code["code_id"],
        typed_code["dwelling_id"],
        json.display_name,
        json.locale,
        json.pin,
        json.pin_confirm,
    )
    return _enter(profile_id), 201


@blueprint.post("/session/staff")
@spec.validate(resp=Response(HTTP_200=Session, HTTP_429=None), tags=["session"])
def staff_sign_in(json: StaffSignIn):
    """Sign in as staff with a username and password."""
    staff_id = authenticate(json.username, json.password)
    sign_in_staff(staff_id)
    _now_acting_as(staff_id=staff_id)
    return _state()


@blueprint.delete("/session")
@spec.validate(resp=Response(HTTP_200=Session), tags=["session"])
def leave():
    """Sign out of this device, keeping its language."""
    return signed_out()
