"""A writer held up by another's lock is told "busy, try again" quickly, on both databases,
and the connection it used stays fit for the next request."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from core.storage.engine import is_busy, writing, writing_briefly
from core.storage.schema import rate_limits


def test_a_brief_writer_gives_up_soon_and_knows_the_database_was_busy(database):
    with writing(database) as connection:
        connection.execute(rate_limits.insert().values(key="held", clear_at=0))
    holder = database.connect().execution_options(writes=True)
    holder.begin()
    holder.execute(rate_limits.update().values(clear_at=5))
    started = time.monotonic()
    try:
        with pytest.raises(OperationalError) as raised, writing_briefly(database, 0.3) as writer:
            writer.execute(rate_limits.update().values(clear_at=9))
        assert is_busy(raised.value)
        assert time.monotonic() - started < 5
    finally:
        holder.rollback()
        holder.close()
    # The lock gone, the same pool writes again, with its usual patience.
    with writing(database) as connection:
        connection.execute(rate_limits.update().values(clear_at=7))
    with database.connect() as connection:
        assert connection.execute(select(rate_limits.c.clear_at)).scalar() == 7
        if database.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 10_000


def test_other_database_errors_are_not_taken_for_busy(database):
    with pytest.raises(DBAPIError) as raised, database.connect() as connection:
        connection.execute(text("SELECT * FROM no_such_table_here"))
    assert not is_busy(raised.value)
