"""Engines for SQLite on the box (WAL, foreign keys) and any other SQLAlchemy URL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event


def _tune_sqlite(dbapi_connection, _record) -> None:
    # The driver's own transaction handling is turned off so that _begin below decides
    # how each transaction starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while one writer commits: several gunicorn workers share
    # the file. busy_timeout makes a writer wait for the lock instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # NORMAL is durable across application crashes in WAL mode and spares the SD card
    # one fsync per commit; only a power cut can lose the last transactions.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin(connection) -> None:
    # A request that writes takes the write lock up front (IMMEDIATE): a deferred
    # transaction that reads then writes can fail with SQLITE_BUSY instead of waiting
    # when another worker committed in between.
    immediate = connection.get_execution_options().get("writes", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    """Return an engine for the URL, with the box's SQLite settings when it is SQLite."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, pool_size=8, max_overflow=8)
        event.listen(engine, "connect", _tune_sqlite)
        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(url, pool_pre_ping=True)
