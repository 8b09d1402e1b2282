"""Who is signed in on which device: a record the server keeps, not only a cookie.

A signed cookie alone cannot be taken back: a copy kept from before a sign-out, a new
letter or a move-out would go on working until it expired. Here the cookie carries a
random token and the server keeps its hash, with whose session it is and until when; a
request is someone's only while the record exists. Signing out ends the device's
session; a new code and a move-out end every session of the household, at once.

Only a hash of each token is stored: a copy of the database does not sign anyone in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, update

from core.domain.clock import utcnow
from core.storage.schema import profiles, sessions


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    connection: Connection,
    days: float,
    profile_id: str | None = None,
    staff_id: str | None = None,
    device: str | None = None,
) -> str:
    """Start a tenant's or a staff member's session for ``days``; return its token.
    ``device`` says what kind of device it is when that limits the session ("tv")."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    connection.execute(
        sessions.insert().values(
            id=_key(token),
            profile_id=profile_id,
            staff_id=staff_id,
            started_at=now,
            seen_at=now,
            ends_at=now + timedelta(days=days),
            device=device,
        )
    )
    return token


# Read on every request: built once rather than at each call.
_LIVE = select(sessions).where(
    sessions.c.id == bindparam("key"), sessions.c.ends_at > bindparam("now")
)


def find(connection: Connection, token: str) -> dict[str, Any] | None:
    """Return the live session of a token, or None if it ended or never was."""
    row = connection.execute(_LIVE, {"key": _key(token), "now": utcnow()}).mappings().first()
    return dict(row) if row else None


def seen(connection: Connection, token: str, days: float) -> None:
    """Note that the session was used today, and make it last ``days`` from now."""
    now = utcnow()
    connection.execute(
        update(sessions)
        .where(sessions.c.id == _key(token))
        .values(seen_at=now, ends_at=now + timedelta(days=days))
    )


def end(connection: Connection, token: str) -> None:
    """End one device's session."""
    connection.execute(delete(sessions).where(sessions.c.id == _key(token)))


def end_household(connection: Connection, dwelling_id: str) -> int:
    """End every session of the household's members; return how many ended."""
    members = select(profiles.c.id).where(profiles.c.dwelling_id == dwelling_id)
    return connection.execute(delete(sessions).where(sessions.c.profile_id.in_(members))).rowcount


def forget_ended(connection: Connection) -> int:
    """Delete the sessions that ran out; return how many."""
    return connection.execute(delete(sessions).where(sessions.c.ends_at <= utcnow())).rowcount


def of_device(connection: Connection, profile_id: str, device: str) -> list[dict[str, Any]]:
    """This person's live sessions on this kind of device, the most recently used first."""
    rows = connection.execute(
        select(sessions.c.id, sessions.c.started_at, sessions.c.seen_at)
        .where(
            sessions.c.profile_id == profile_id,
            sessions.c.device == device,
            sessions.c.ends_at > utcnow(),
        )
        .order_by(sessions.c.seen_at.desc())
    ).mappings()
    return [dict(row) for row in rows]


def end_of_profile(connection: Connection, profile_id: str, session_id: str) -> bool:
    """End one of this person's sessions, named by its record (as ``of_device`` lists
    them); return whether there was one."""
    return bool(
        connection.execute(
            delete(sessions).where(sessions.c.id == session_id, sessions.c.profile_id == profile_id)
        ).rowcount
    )
