"""Test databases made once and copied: migrating and building an estate cost far more
than copying the file they leave."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def copy_database(template: Path, target: Path) -> None:
    """Copy an SQLite database whole, consistently, into ``target``."""
    source, copy = sqlite3.connect(template), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
