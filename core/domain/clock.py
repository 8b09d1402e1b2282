"""Time as the domain sees it: naive UTC datetimes, stored the same way on every engine."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current time in UTC without tzinfo, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_id() -> str:
    """Return a fresh id that no other box will ever make."""
    return uuid.uuid4().hex
