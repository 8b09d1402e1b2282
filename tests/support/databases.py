"""Test databases made once and copied: migrating and building an estate cost far more
than copying the file they leave."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

# The machine's PostgreSQL, where user "postgres" may create databases without a password.
POSTGRES_SERVER = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=5"


def copy_database(template: Path, target: Path) -> None:
    """Copy an SQLite database whole, consistently, into ``target``."""
    source, copy = sqlite3.connect(template), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()


def postgres_url(name: str) -> str:
    """The SQLAlchemy URL of a database on the machine's PostgreSQL."""
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


@contextmanager
def postgres_database(template: str | None = None) -> Iterator[str]:
    """A database of its own on the machine's PostgreSQL, empty or a copy of ``template``,
    dropped at the end even if still in use; yield its name."""
    name = f"residacoeur_test_{uuid.uuid4().hex[:12]}"
    copied = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"{copied}')
    try:
        yield name
    finally:
        with psycopg.connect(POSTGRES_SERVER, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
