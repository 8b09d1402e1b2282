"""The charter of the noticeboard and of messages: accepted once, before a first post.

Its text lives with the pages (it is translated); the domain records that a person
accepted it, and refuses to let someone post, comment or write before they have — or
while a caretaker has suspended them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, update

from core.domain.clock import utcnow
from core.domain.errors import N_, DomainError, Forbidden
from core.storage.schema import profiles


def accept(connection: Connection, profile_id: str) -> None:
    """Record that the person accepted the charter (the first time only)."""
    connection.execute(
        update(profiles)
        .where(profiles.c.id == profile_id, profiles.c.charter_accepted_at.is_(None))
        .values(charter_accepted_at=utcnow())
    )


def may_write(connection: Connection, profile: dict[str, Any]) -> None:
    """Refuse a post, comment or message from someone who has not accepted the charter,
    or whom a caretaker has suspended."""
    row = connection.execute(
        select(
            profiles.c.charter_accepted_at,
            profiles.c.suspended_until,
        ).where(profiles.c.id == profile["id"])
    ).one()
    if row.suspended_until is not None and row.suspended_until > utcnow():
        raise Forbidden(
            "suspended",
            N_("A caretaker has suspended your writing until %(date)s."),
            date=row.suspended_until,
        )
    if row.charter_accepted_at is None:
        raise DomainError(
            "charter_needed", N_("Please read and accept the charter first."), "charter"
        )
