"""Counting failed attempts in the database, so limits hold across every worker process.

Fixed windows: a key (an address, a dwelling, a username) may fail ``limit`` times per
window; past that, attempts are refused until the window ends.
"""

from __future__ import annotations

import time

from sqlalchemy import Connection, case, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from appliance.domain.errors import TooManyAttempts
from appliance.storage.schema import rate_limits


def _window(now: float, window: int) -> int:
    return int(now) // window * window


def check(
    connection: Connection, key: str, limit: int, window: int, now: float | None = None
) -> None:
    """Refuse with TooManyAttempts when the key has used up its failures in this window."""
    now = time.time() if now is None else now
    start = _window(now, window)
    row = connection.execute(
        select(rate_limits.c.window_start, rate_limits.c["count"]).where(rate_limits.c.key == key)
    ).first()
    if row is not None and row.window_start == start and row.count >= limit:
        raise TooManyAttempts(retry_after=start + window - int(now))


def record_failure(connection: Connection, key: str, window: int, now: float | None = None) -> None:
    """Count one failure for the key in the current window, atomically."""
    now = time.time() if now is None else now
    start = _window(now, window)
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(rate_limits).values(key=key, window_start=start, count=1)
    statement = statement.on_conflict_do_update(
        index_elements=[rate_limits.c.key],
        set_={
            "count": case(
                (rate_limits.c.window_start == start, rate_limits.c["count"] + 1), else_=1
            ),
            "window_start": start,
        },
    )
    connection.execute(statement)


def clear(connection: Connection, key: str) -> None:
    """Forget the failures of a key after a success."""
    connection.execute(delete(rate_limits).where(rate_limits.c.key == key))
