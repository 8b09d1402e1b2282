"""Who is asking: a tenant (profile) or a staff member, loaded once per request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial, wraps
from typing import Any

from flask import Flask, current_app, g, redirect, request, session, url_for

from core.domain import erasure, people, roles, sessions
from core.domain.errors import N_, DomainError, Forbidden
from webui.bookkeeping import note_later
from webui.database import db


class NotSignedIn(DomainError):
    """The page needs someone signed in."""

    status = 401

    def __init__(self) -> None:
        super().__init__("not_signed_in", N_("Please sign in first."))


# A staff member's session lasts a day from their last visit (its cookie, until the
# browser closes); a tenant's, ``session_days``.
STAFF_SESSION_DAYS = 1


def _load_person() -> None:
    g.profile = None
    g.staff = None
    g.device = None
    token = session.get("token")
    if not token:
        return
    found = sessions.find(db(), token)
    if found is not None and found["profile_id"]:
        g.profile = people.get_profile(db(), found["profile_id"])
    elif found is not None and found["staff_id"]:
        g.staff = people.get_staff(db(), found["staff_id"])
    if g.profile is None and g.staff is None:
        # Signed out elsewhere, a new code, a move-out, an account disabled, or a cookie
        # copied from before: the session ends here.
        _forget_who()
        return
    g.device = found["device"]
    _keep_signed_in(token)


def _keep_signed_in(token: str) -> None:
    # The cookie is not re-sent with every answer (signing it costs as much as a cached
    # page); touching the session once a day re-sends it, and the server's record lasts
    # as long again: the sign-in lasts as long as the person keeps coming back.
    today = date.today().isoformat()
    if session.get("seen_on") == today:
        return
    session["seen_on"] = today
    note_later(partial(sessions.seen, token=token, days=_days()))
    if g.profile is not None:
        # Once a day too, the profile is marked as used: unused ones are anonymised.
        note_later(partial(erasure.seen, profile=g.profile))


def _days() -> float:
    if g.get("staff") is not None:
        return STAFF_SESSION_DAYS
    return current_app.config["RESIDACOEUR"]["session_days"]


def _forget_who() -> None:
    """Clear the session on this device, keeping the language and the mode (TV or not)
    chosen on it."""
    kept = {name: session[name] for name in ("locale", "tv") if name in session}
    session.clear()
    session.update(kept)


def sign_in_tenant(profile_id: str, device: str | None = None) -> None:
    """Start a tenant's session on this device (``device`` "tv" for a TV's, which is
    limited)."""
    _end_this_session()
    _forget_who()
    session.permanent = True
    session["token"] = sessions.start(
        db(),
        current_app.config["RESIDACOEUR"]["session_days"],
        profile_id=profile_id,
        device=device,
    )
    session["seen_on"] = date.today().isoformat()


def sign_in_staff(staff_id: str) -> None:
    """Start a staff member's session (its cookie ends with the browser)."""
    _end_this_session()
    session.clear()
    session.permanent = False
    session["token"] = sessions.start(db(), STAFF_SESSION_DAYS, staff_id=staff_id)
    session["seen_on"] = date.today().isoformat()


def sign_out() -> None:
    """End whoever's session this is, on this device and on any copy of its cookie."""
    _end_this_session()
    _forget_who()


def _end_this_session() -> None:
    token = session.get("token")
    if token:
        sessions.end(db(), token)


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

    # Read by the API's document: who may call it, and so what it may answer.
    wrapped.signed_in = "tenant"  # type: ignore[attr-defined]
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

        wrapped.signed_in = "staff"  # type: ignore[attr-defined]
        wrapped.permission = permission  # type: ignore[attr-defined]
        return wrapped

    return decorate


def init_app(app: Flask) -> None:
    """Load the person behind each request."""
    app.before_request(_load_person)
