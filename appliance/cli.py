"""The ``residacoeur`` command: one subcommand per process, thin calls into the library."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import click

from appliance import __version__
from appliance.apart import run_apart
from appliance.config import load_config
from appliance.domain import access_codes, photos
from appliance.domain.clock import utcnow
from appliance.secrets import ensure_secrets
from appliance.storage.engine import make_engine

# Photos received for a form that was never sent are kept this long, so a person who
# comes back to finish the report still finds them.
DRAFT_PHOTOS_KEPT = timedelta(days=2)


def _config(config_file: str | None, **overrides) -> dict:
    return load_config(config_file, overrides={k: v for k, v in overrides.items() if v is not None})


@click.group()
@click.version_option(__version__, prog_name="residacoeur")
def main() -> None:
    """Résidacœur: the building box and its link to the landlord."""


@main.group()
def box() -> None:
    """Processes and tasks of a building box."""


@box.command()
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), help="TOML settings file."
)
@click.option("--data-dir", type=click.Path(file_okay=False), help="Data folder of the box.")
def migrate(config_file: str | None, data_dir: str | None) -> None:
    """Bring the database schema up to date, keeping all data."""
    from appliance.storage import migrations

    config = _config(config_file, data_dir=data_dir)
    migrations.upgrade(make_engine(config["database_url"]))
    click.echo("database schema is current")


@box.command()
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), help="TOML settings file."
)
@click.option("--data-dir", type=click.Path(file_okay=False), help="Data folder of the box.")
@click.option("--bind", help="Address to listen on, e.g. 0.0.0.0:8000.")
@click.option("--workers", type=int, help="gunicorn worker processes.")
def web(
    config_file: str | None, data_dir: str | None, bind: str | None, workers: int | None
) -> None:
    """Serve the portal, the staff pages and the API under gunicorn."""
    config = _config(config_file, data_dir=data_dir, bind=bind, workers=workers)
    serve(config)


def serve(config: dict) -> None:
    """Prepare the data folder and run the web service in the foreground."""
    from appliance.web_service import WebService

    run_apart(_prepare_box, config)
    WebService(config).run()


def _prepare_box(config: dict) -> None:
    from appliance.storage import migrations

    ensure_secrets(config["data_dir"])
    engine = make_engine(config["database_url"])
    migrations.upgrade(engine)
    with engine.begin() as connection:
        photos.forget_unused(connection, older_than=utcnow() - DRAFT_PHOTOS_KEPT)
    engine.dispose()


@box.command("add-staff")
@click.option("--data-dir", type=click.Path(file_okay=False), help="Data folder of the box.")
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True, help="Name shown to others.")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["caretaker", "landlord_agent", "publisher", "merchant", "operator"]),
)
@click.option("--building", "buildings", multiple=True, help="Building name (repeatable).")
@click.password_option()
def add_staff(data_dir, username, display_name, role, buildings, password) -> None:
    """Create a staff account attached to some buildings."""
    from appliance.domain import estate, people
    from appliance.domain.errors import DomainError
    from appliance.storage import migrations

    config = _config(None, data_dir=data_dir)
    engine = make_engine(config["database_url"])
    migrations.upgrade(engine)
    with engine.begin() as connection:
        ids = []
        for name in buildings:
            found = estate.building_by_name(connection, name)
            if found is None:
                raise click.ClickException(f"no building named {name!r}")
            ids.append(found["id"])
        try:
            people.create_staff(connection, username, display_name, password, role, ids)
        except DomainError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"staff account {username} created")


@box.command("import-dwellings")
@click.argument("roster", type=click.File("r", encoding="utf-8-sig"))
@click.option("--data-dir", type=click.Path(file_okay=False), help="Data folder of the box.")
@click.option(
    "--codes-out",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="CSV file to write the new access codes to, for printing the letters.",
)
def import_dwellings(roster, data_dir: str | None, codes_out: str) -> None:
    """Register the dwellings of a CSV roster (reference,building,staircase,floor)."""
    import csv
    import os

    from appliance.domain import estate
    from appliance.domain.errors import DomainError
    from appliance.storage import migrations
    from provisioning.roster import RosterError, import_roster

    config = _config(None, data_dir=data_dir)
    secrets = ensure_secrets(config["data_dir"])
    engine = make_engine(config["database_url"])
    migrations.upgrade(engine)
    try:
        with engine.begin() as connection:
            issued = import_roster(
                connection,
                secrets["access_code_pepper"],
                roster.read(),
                estate.building_ids(connection),
            )
    except RosterError as error:
        for number, message in error.translated(
            lambda text, **params: text % params if params else text
        ):
            click.echo(f"line {number}: {message}", err=True)
        raise click.ClickException("nothing was imported") from None
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    # The codes exist nowhere else: the file is readable by its owner only.
    fd = os.open(codes_out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["reference", "building", "code"])
        for row in issued:
            writer.writerow(
                [row["reference"], row["building_name"], access_codes.printable(row["code"])]
            )
    click.echo(f"{len(issued)} dwellings registered; their codes are in {codes_out}")


@main.command()
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--data-dir", type=click.Path(file_okay=False), default="demo-data", show_default=True
)
@click.option("--workers", type=int, default=2, show_default=True)
def demo(port: int, host: str, data_dir: str, workers: int) -> None:
    """Run a box with a fictitious estate, and write its logins to DATA_DIR/demo-logins.json."""
    config = _config(None, data_dir=data_dir, bind=f"{host}:{port}", workers=workers)
    url = f"http://{'localhost' if host in {'127.0.0.1', '0.0.0.0'} else host}:{port}/"
    click.echo(run_apart(_prepare_demo, config, url))
    serve(config)


def _prepare_demo(config: dict, url: str) -> str:
    from appliance.demo import estate
    from appliance.storage import migrations

    secrets = ensure_secrets(config["data_dir"])
    engine = make_engine(config["database_url"])
    migrations.upgrade(engine)
    logins_file = Path(config["data_dir"]) / "demo-logins.json"
    with engine.begin() as connection:
        logins = estate.ensure_demo_estate(connection, secrets["access_code_pepper"], logins_file)
    engine.dispose()
    logins["url"] = url
    logins_file.write_text(json.dumps(logins, ensure_ascii=False, indent=2), encoding="utf-8")
    return estate.describe(logins, logins_file)
