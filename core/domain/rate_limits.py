"""Failed attempts that leak away, counted in the database so limits hold across every
worker process.

A key (an address, a household member, a username) may fail ``limit`` times at once;
each failure then leaks away after ``window / limit`` seconds, so a key that keeps
failing gets one more try every ``window / limit`` seconds (a leaky bucket, written as
the time the key will be clear of its failures). Fixed windows let twice the limit
through across the boundary between two windows; this does not.
"""

from __future__ import annotations

import math
import time

from sqlalchemy import Connection, case, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.domain.errors import TooManyAttempts
from core.storage.schema import rate_limits


def check(
    connection: Connection, key: str, limit: int, window: int, now: float | None = None
) -> None:
    """Refuse with TooManyAttempts while the key has ``limit`` failures not leaked away."""
    now = time.time() if now is None else now
    clear_at = connection.execute(
        select(rate_limits.c.clear_at).where(rate_limits.c.key == key)
    ).scalar()
    # Room for one more failure while fewer than ``limit`` are still leaking.
    room_from = (clear_at or 0.0) - (window - window / limit)
    if room_from > now:
        raise TooManyAttempts(retry_after=math.ceil(room_from - now))


def record_failure(
    connection: Connection, key: str, limit: int, window: int, now: float | None = None
) -> None:
    """Count one failure for the key, atomically."""
    now = time.time() if now is None else now
    each = window / limit
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(rate_limits).values(key=key, clear_at=now + each)
    statement = statement.on_conflict_do_update(
        index_elements=[rate_limits.c.key],
        set_={
            "clear_at": case(
                (rate_limits.c.clear_at > now, rate_limits.c.clear_at + each), else_=now + each
            )
        },
    )
    connection.execute(statement)


def clear(connection: Connection, key: str) -> None:
    """Forget the failures of a key after a success."""
    connection.execute(delete(rate_limits).where(rate_limits.c.key == key))


def forget_cleared(connection: Connection, now: float | None = None) -> int:
    """Delete the keys whose failures have all leaked away; return how many."""
    now = time.time() if now is None else now
    return connection.execute(delete(rate_limits).where(rate_limits.c.clear_at <= now)).rowcount
