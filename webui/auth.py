"""Who is asking: a tenant (profile) or a staff member, loaded once per request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from flask import Flask, current_app, g, redirect, request, session, url_for

from appliance.domain import erasure, people, roles
from appliance.domain.errors import N_, DomainError, Forbidden
from webui.database import db


class NotSignedIn(DomainError):
    """The page needs someone signed in."""

    status = 401

    def __init__(self) -> None:
        super().__init__("not_signed_in", N_("Please sign in first."))


def _load_person() -> None:
    g.profile = None
    g.staff = None
    if "profile_id" in session:
        g.profile = people.get_profile(db(), session["profile_id"])
        if g.profile is None:
            # The household moved out or the profile was removed: the session ends here.
            session.clear()
        else:
            _keep_signed_in()
    elif "staff_id" in session:
        g.staff = people.get_staff(db(), session["staff_id"])
        if g.staff is None:
            session.clear()


def _keep_signed_in() -> None:
    # The cookie is not re-sent with every answer (signing it costs as much as a cached
    # page); touching the session once a day re-sends it, so the sign-in lasts as long
    # as the tenant keeps coming back.
    today = date.today().isoformat()
    if session.get("seen_on") != today:
        session["seen_on"] = today
        # Once a day too, the profile is marked as used: unused ones are anonymised.
        erasure.seen(db(), g.profile)


def sign_in_tenant(profile_id: str) -> None:
    """Start a tenant's session on this device."""
    locale = session.get("locale")
    session.clear()
    session.permanent = True
    session["profile_id"] = profile_id
    if locale:
        session["locale"] = locale


def sign_in_staff(staff_id: str) -> None:
    """Start a staff member's session (ends with the browser)."""
    session.clear()
    session.permanent = False
    session["staff_id"] = staff_id


def sign_out() -> None:
    """End whoever's session this is, keeping the language chosen on this device."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def tenant_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let only a signed-in tenant through; others go to the sign-in page."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.profile is None:
            if _wants_json():
                raise NotSignedIn()
            return redirect(url_for("access.start", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def place() -> str:
    """Return where this service runs: "box" or "hub"."""
    return current_app.config["RESIDACOEUR"]["role"]


def staff_required(
    permission: str | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Let only signed-in staff through, and only with the permission when one is named."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if g.staff is None:
                if _wants_json():
                    raise NotSignedIn()
                return redirect(url_for("staff.sign_in", next=request.full_path.rstrip("?")))
            if permission and not roles.may(g.staff["role"], permission, place()):
                raise Forbidden("forbidden", N_("Your role does not allow this."))
            return view(*args, **kwargs)

        return wrapped

    return decorate


def init_app(app: Flask) -> None:
    """Load the person behind each request."""
    app.before_request(_load_person)
