"""One database connection per request, committed when the response is ready.

A database busy beyond its wait (another writer holding SQLite's lock, a PostgreSQL lock
or deadlock) is answered 503 with Retry-After, never 500; and a connection that met any
database error is thrown away rather than given back to the pool, where a connection left
in a failed state would fail every request of its worker after it.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from core.storage.engine import is_busy
from webui import errors

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def engine() -> Engine:
    """Return the application's engine."""
    return current_app.extensions["engine"]


def db() -> Connection:
    """Return this request's connection; requests that may write take the write lock."""
    if "db" not in g:
        connection = engine().connect()
        if request.method not in _READ_METHODS:
            connection = connection.execution_options(writes=True)
        g.db = connection
    return g.db


def keep_changes() -> None:
    """Commit this request's writes even though its answer is an error (failed sign-ins)."""
    g.keep_changes = True


def _commit(response):
    connection = g.get("db")
    if connection is not None and connection.in_transaction():
        try:
            # A refused request leaves nothing half-done behind, except what it asked to
            # keep.
            if response.status_code < 400 or g.get("keep_changes"):
                connection.commit()
            else:
                connection.rollback()
        except DBAPIError as error:
            _discard()
            if not is_busy(error):
                raise
            return errors.busy()
    return response


def _discard() -> None:
    connection = g.pop("db", None)
    if connection is not None:
        connection.invalidate()
        connection.close()


def _database_error(error: DBAPIError):
    _discard()
    if is_busy(error):
        return errors.busy()
    return errors.unexpected(error)


def _close(_exc) -> None:
    connection = g.pop("db", None)
    if connection is not None:
        connection.close()


def init_app(app: Flask) -> None:
    """Commit after each response and give the connection back at the end."""
    app.after_request(_commit)
    app.register_error_handler(DBAPIError, _database_error)
    app.teardown_request(_close)
