"""Checking a staff member's credentials, for the sign-in page and the API alike: wrong
passwords slow an account down on unknown devices without locking its owner out.

Counting failures per account would let anyone lock a caretaker out by typing their
username five times. So, as OWASP advises with "device cookies", a device where the
account signed in before carries a signed cookie naming it: there, only that device's own
failures count. Elsewhere, failures count per address for the account, and per account
from all unknown devices together: someone guessing from many addresses blocks unknown
devices only, and the owner's phone or office computer still signs in.
"""

from __future__ import annotations

import secrets

from flask import after_this_request, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from core.domain import audit, people, rate_limits
from core.domain.errors import N_, DomainError
from webui.access import address_key
from webui.database import db, keep_changes
from webui.front_server import secure_cookies

DEVICE_COOKIE = "residacoeur_staff_device"
DEVICE_COOKIE_DAYS = 365


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="staff-device")


def _known_device(username: str) -> str | None:
    """The id of this device if the account signed in on it before."""
    try:
        known = _signer().loads(request.cookies.get(DEVICE_COOKIE, ""))
    except BadSignature:
        return None
    if not isinstance(known, dict) or known.get("username") != username:
        return None
    return str(known.get("device"))


def _keys(username: str) -> list[tuple[str, int]]:
    """The failure counts that apply to this attempt, with their limits; the first is this
    device's own, which its success clears."""
    config = current_app.config["RESIDACOEUR"]
    per_account = config["login_attempts_per_dwelling"]
    device = _known_device(username)
    if device is not None:
        return [(f"staff-device:{device}", per_account)]
    return [
        (f"staff:{username}:{request.remote_addr}", per_account),
        (address_key(), config["login_attempts_per_address"]),
        (f"staff:{username}", config["login_attempts_per_address"]),
    ]


def _remember_device(username: str) -> None:
    device = _known_device(username) or secrets.token_urlsafe(16)
    value = _signer().dumps({"username": username, "device": device})
    secure = secure_cookies()

    @after_this_request
    def give_cookie(response):
        response.set_cookie(
            DEVICE_COOKIE,
            value,
            max_age=DEVICE_COOKIE_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=secure,
        )
        return response


def authenticate(username: str, password: str) -> str:
    """Return the staff id for these credentials, counting failures where they apply."""
    window = current_app.config["RESIDACOEUR"]["login_window_seconds"]
    username = (username or "").strip().lower()
    keys = _keys(username)
    for key, limit in keys:
        rate_limits.check(db(), key, limit, window)
    staff_id = people.authenticate_staff(db(), username, password)
    if staff_id is None:
        for key, limit in keys:
            rate_limits.record_failure(db(), key, limit, window)
        keep_changes()
        raise DomainError(
            "credentials_wrong", N_("The username or the password is not right."), "password"
        )
    rate_limits.clear(db(), keys[0][0])
    _remember_device(username)
    audit.record(db(), staff_id, "staff.sign_in", address=request.remote_addr)
    return staff_id
