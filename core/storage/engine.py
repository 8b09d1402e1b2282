"""Engines for SQLite (WAL, foreign keys: a box, or a hub on one machine) and any other
SQLAlchemy URL (PostgreSQL at the hub)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

# How long a writer waits for SQLite's lock before giving up, in milliseconds.
BUSY_TIMEOUT_MS = 10_000
# PostgreSQL's codes for a lock not obtained, a deadlock and a serialization failure.
_PG_BUSY = frozenset({"55P03", "40P01", "40001"})


def _tune_sqlite(dbapi_connection, _record, durable: bool = False) -> None:
    # The driver's own transaction handling is turned off so that _begin below decides
    # how each transaction starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while one writer commits: several gunicorn workers share
    # the file. busy_timeout makes a writer wait for the lock instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # NORMAL is durable across application crashes in WAL mode and spares the SD card
    # one fsync per commit; only a power cut can lose the last transactions. The link's
    # processes acknowledge what they commit, and a promise made to the other side must
    # survive a power cut too: they ask for FULL.
    cursor.execute("PRAGMA synchronous=FULL" if durable else "PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin(connection) -> None:
    # A request that writes takes the write lock up front (IMMEDIATE): a deferred
    # transaction that reads then writes can fail with SQLITE_BUSY instead of waiting
    # when another worker committed in between.
    immediate = connection.get_execution_options().get("writes", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, durable: bool = False) -> Engine:
    """Return an engine for the URL, with the SQLite settings when it is SQLite.

    ``durable``: every commit on disk before it returns, even across a power cut.
    """
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, pool_size=8, max_overflow=8)
        event.listen(engine, "connect", partial(_tune_sqlite, durable=durable))
        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """Yield a connection in a transaction that will write, committed at the end."""
    with engine.connect().execution_options(writes=True) as connection, connection.begin():
        yield connection


@contextmanager
def writing_briefly(engine: Engine, seconds: float) -> Iterator[Connection]:
    """Like ``writing``, but waiting at most ``seconds`` for another writer's lock."""
    waits = int(seconds * 1000)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Before the transaction begins: BEGIN IMMEDIATE is what waits for the lock.
            connection.connection.driver_connection.execute(f"PRAGMA busy_timeout={waits}")
        try:
            with connection.execution_options(writes=True).begin():
                if not sqlite:
                    connection.exec_driver_sql(f"SET LOCAL lock_timeout = {waits}")
                yield connection
        finally:
            if sqlite and not connection.invalidated:
                connection.connection.driver_connection.execute(
                    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}"
                )


def is_busy(error: BaseException) -> bool:
    """Tell whether a database error means "another writer holds the lock, try again"."""
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    code = getattr(original, "pgcode", None) or getattr(original, "sqlstate", None)
    if code in _PG_BUSY:
        return True
    message = str(original).lower()
    return "database is locked" in message or "database table is locked" in message
