"""The schema revision this code expects, checked without loading Alembic.

The web service answers /readyz with it; keeping Alembic out of the web processes keeps
several megabytes out of each of them. A test holds EXPECTED to the newest migration.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError, ProgrammingError

EXPECTED = "0020"


def current(connection: Connection) -> str | None:
    """Return the revision the database is at, or None when it has no schema yet."""
    try:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError):
        connection.rollback()
        return None


def is_current(connection: Connection) -> bool:
    """Tell whether the database schema is the one this code expects."""
    return current(connection) == EXPECTED
