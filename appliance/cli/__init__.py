"""The ``residacoeur`` command: one subcommand per process, thin calls into the library.

Each group has its module (``box``, ``hub``, ``demo``); ``options`` holds what they share.
The alembic migrations, the link, provisioning, gunicorn and the demo are imported inside
the commands that use them, so the command starts quickly for the others and for ``--help``.
"""

from __future__ import annotations

import click

from appliance.cli.box import box
from appliance.cli.demo import demo
from appliance.cli.hub import hub
from core import __version__


@click.group()
@click.version_option(__version__, prog_name="residacoeur")
def main() -> None:
    """Résidacœur: the building box and its link to the landlord."""


main.add_command(box)
main.add_command(hub)
main.add_command(demo)
