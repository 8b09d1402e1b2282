"""Versioned schema migrations (Alembic), run before any process serves requests."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

SCRIPTS = Path(__file__).parent / "alembic"


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to the given revision, keeping every row it holds."""
    command.upgrade(_config(engine), revision)


def head_revision() -> str:
    """Return the newest revision the code knows."""
    head = ScriptDirectory.from_config(_config_without_engine()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """Return the revision the database is at, or None when it has no schema yet."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _config_without_engine() -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    return config
