"""A TV let in by a household's phone, never by typing a letter's code with a remote.

The TV asks for a pairing: it gets a secret, kept in its own cookie, and shows a short
code (and a QR code leading to it). A household member, signed in on their phone, types
or scans the code and approves it; the TV, which alone holds the secret, then takes a
session of that person — a TV's session, limited to reading and simple actions
(webui/tv/limits.py), which the person can end from their profile. A code lasts ten
minutes and is approved once; a pairing is used once.

Only the secret's digest is kept: a copy of the database lets no TV in.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, select, update

from core.domain.clock import new_id, utcnow
from core.domain.errors import N_, DomainError
from core.storage.schema import tv_pairings

CODE_DIGITS = 6
LIFETIME = timedelta(minutes=10)
SECRET_BYTES = 24


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _live(now: datetime) -> Any:
    return tv_pairings.c.expires_at > now


def _new_code(connection: Connection, now: datetime) -> str:
    while True:
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        taken = connection.execute(
            select(tv_pairings.c.id).where(tv_pairings.c.code == code, _live(now))
        ).first()
        if taken is None:
            return code


def start(connection: Connection, draw: Callable[[str], str]) -> tuple[dict[str, Any], str]:
    """A new pairing for a TV, with the QR code ``draw`` makes for its code; return it
    and its secret, for the TV's cookie alone."""
    now = utcnow()
    secret = secrets.token_urlsafe(SECRET_BYTES)
    code = _new_code(connection, now)
    pairing = {
        "id": new_id(),
        "secret_digest": _digest(secret),
        "code": code,
        "created_at": now,
        "expires_at": now + LIFETIME,
        "approved_profile_id": None,
        "approved_at": None,
        "qr_image": draw(code),
    }
    connection.execute(tv_pairings.insert().values(**pairing))
    return pairing, secret


def of_secret(connection: Connection, secret: str) -> dict[str, Any] | None:
    """The TV's pairing while it lasts; None once it ended or was used."""
    row = (
        connection.execute(
            select(tv_pairings).where(
                tv_pairings.c.secret_digest == _digest(secret), _live(utcnow())
            )
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def approve(connection: Connection, profile: dict[str, Any], code: str) -> None:
    """Let the TV showing this code in as this person; refused for a code that is not
    one (mistyped, ended, or already approved)."""
    typed = "".join(character for character in code if character.isdigit())
    now = utcnow()
    approved = connection.execute(
        update(tv_pairings)
        .where(
            tv_pairings.c.code == typed,
            tv_pairings.c.approved_profile_id.is_(None),
            _live(now),
        )
        .values(approved_profile_id=profile["id"], approved_at=now)
    ).rowcount
    if not approved:
        raise DomainError(
            "tv_code_unknown",
            N_("This code does not work. Check the code on the TV: it changes every ten minutes."),
            "code",
        )


def claim(connection: Connection, secret: str) -> str | None:
    """Once approved, end the pairing and return whose session the TV now starts."""
    pairing = of_secret(connection, secret)
    if pairing is None or pairing["approved_profile_id"] is None:
        return None
    connection.execute(delete(tv_pairings).where(tv_pairings.c.id == pairing["id"]))
    return pairing["approved_profile_id"]


def forget_ended(connection: Connection) -> int:
    """Delete the pairings that ran out; return how many."""
    return connection.execute(delete(tv_pairings).where(~_live(utcnow()))).rowcount
