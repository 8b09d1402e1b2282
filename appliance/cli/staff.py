"""Creating a staff account from the command line, the same on a box and at the hub."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import click

from core.domain import estate, people
from core.domain.errors import DomainError
from core.storage.engine import make_engine, writing


def create_staff(
    config: dict[str, Any],
    username: str,
    display_name: str,
    role: str,
    buildings: Iterable[str],
    password: str,
) -> None:
    """Create a staff account attached to the buildings of these names."""
    from core.storage import migrations

    engine = make_engine(config["database_url"])
    migrations.upgrade(engine)
    with writing(engine) as connection:
        try:
            ids = estate.building_ids_by_name(connection, buildings)
            people.create_staff(connection, username, display_name, password, role, ids)
        except DomainError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"staff account {username} created")
