"""The options several commands share, each written once as a decorator, and the settings
they make."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from core.config import load_config

Command = TypeVar("Command", bound=Callable[..., Any])
Decorator = Callable[[Command], Command]


def _stacked(*options: Decorator) -> Decorator:
    """Make one decorator of several, as if written one above the other in this order."""

    def decorate(command: Command) -> Command:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


config_file = click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), help="TOML settings file."
)

box_data_dir = click.option(
    "--data-dir", type=click.Path(file_okay=False), help="Data folder of the box."
)

hub_data_dir = click.option(
    "--data-dir", type=click.Path(file_okay=False), help="Data folder of the hub."
)

# The web service's, the same on a box and at the hub.
web_server = _stacked(
    click.option("--bind", help="Address to listen on, e.g. 0.0.0.0:8000."),
    click.option("--workers", type=int, help="gunicorn worker processes."),
)


def building_names(*, required: bool) -> Decorator:
    """Add ``--building``, given once per building the command is for."""
    return click.option(
        "--building",
        "buildings",
        multiple=True,
        required=required,
        help="Building name (repeatable).",
    )


# The options of ``add-staff``, the same on a box and at the hub.
staff_account = _stacked(
    click.option("--username", required=True),
    click.option("--name", "display_name", required=True, help="Name shown to others."),
    click.option(
        "--role",
        required=True,
        type=click.Choice(["caretaker", "landlord_agent", "publisher", "merchant", "operator"]),
    ),
    building_names(required=False),
    click.password_option(),
)


def settings(config_file: str | None, **overrides: Any) -> dict[str, Any]:
    """Return the settings of the file and the environment, with the options given on top."""
    return load_config(config_file, overrides={k: v for k, v in overrides.items() if v is not None})
