"""The ``residacoeur`` command: one subcommand per process, thin calls into the library."""

from __future__ import annotations

import json
from pathlib import Path

import click

from appliance import __version__
from appliance.child_process import run_apart
from appliance.config import load_config
from appliance.domain import access_codes, housekeeping
from appliance.private_files import private_file
from appliance.secrets import ensure_secrets
from appliance.storage.engine import make_engine, writing


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
    with writing(engine) as connection:
        housekeeping.run(connection, config)
    engine.dispose()


@box.command()
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), help="TOML settings file."
)
@click.option("--data-dir", type=click.Path(file_okay=False), help="Data folder of the box.")
@click.option("--telemetry-every", type=float, default=60.0, show_default=True, help="Seconds.")
def sync(config_file: str | None, data_dir: str | None, telemetry_every: float) -> None:
    """Carry the box's side of the link to the hub (the box's only MQTT client)."""
    from sync import settings
    from sync.agent import BoxAgent

    config = _config(config_file, data_dir=data_dir)
    link_settings = settings.read(Path(config["data_dir"]) / settings.BOX_FILE)
    box_id = link_settings["box_id"]
    agent = BoxAgent(
        make_engine(config["database_url"], durable=True),
        box_id,
        settings.access(link_settings, box_id),
        config["data_dir"],
        telemetry_every,
        config,
    )
    _run_until_stopped(agent.run)


@box.command("housekeeping")
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), help="TOML settings file."
)
@click.option("--data-dir", type=click.Path(file_okay=False), help="Data folder of the box.")
def box_housekeeping(config_file: str | None, data_dir: str | None) -> None:
    """Tidy the box once: forget what has ended, warn then anonymise unused profiles."""
    from appliance.storage.engine import writing

    config = _config(config_file, data_dir=data_dir)
    engine = make_engine(config["database_url"])
    with writing(engine) as connection:
        done = housekeeping.run(connection, config)
    engine.dispose()
    click.echo(
        f"{done['ended']} ended items forgotten, {done['warned']} profiles warned, "
        f"{done['anonymised']} anonymised"
    )


@box.command()
@click.argument("enrolment_file", type=click.File("r", encoding="utf-8"))
@click.option("--data-dir", type=click.Path(file_okay=False), help="Data folder of the box.")
def enrol(enrolment_file, data_dir: str | None) -> None:
    """Link the box to the hub with the enrolment file the hub's operator made for it."""
    from appliance.storage import migrations
    from appliance.storage.engine import writing
    from provisioning.enrolment import accept_enrolment

    config = _config(None, data_dir=data_dir)
    ensure_secrets(config["data_dir"])
    engine = make_engine(config["database_url"])
    migrations.upgrade(engine)
    enrolment = json.load(enrolment_file)
    with writing(engine) as connection:
        accept_enrolment(connection, Path(config["data_dir"]), enrolment)
    click.echo(f"box {enrolment['box_id']} is linked to the hub")


def _run_until_stopped(work) -> None:
    import logging
    import signal
    import threading

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    work(stop)


@main.group()
def hub() -> None:
    """Processes and tasks of the central hub."""


@hub.command("web")
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), help="TOML settings file."
)
@click.option("--data-dir", type=click.Path(file_okay=False), help="Data folder of the hub.")
@click.option("--bind", help="Address to listen on, e.g. 0.0.0.0:8000.")
@click.option("--workers", type=int, help="gunicorn worker processes.")
def hub_web(
    config_file: str | None, data_dir: str | None, bind: str | None, workers: int | None
) -> None:
    """Serve the staff console and the API of the hub under gunicorn."""
    from appliance.web_service import WebService

    config = _config(config_file, data_dir=data_dir, bind=bind, workers=workers, role="hub")
    run_apart(_prepare_hub, config)
    WebService(config).run()


def _prepare_hub(config: dict) -> None:
    from appliance.domain import link
    from appliance.storage import migrations
    from appliance.storage.engine import writing

    ensure_secrets(config["data_dir"])
    engine = make_engine(config["database_url"])
    migrations.upgrade(engine)
    with writing(engine) as connection:
        link.become_hub(connection)
    engine.dispose()


@hub.command()
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), help="TOML settings file."
)
@click.option("--data-dir", type=click.Path(file_okay=False), help="Data folder of the hub.")
@click.option("--name", default="1", show_default=True, help="Distinguishes this process.")
def ingest(config_file: str | None, data_dir: str | None, name: str) -> None:
    """Apply what boxes send and send them the hub's news and answers (one of several)."""
    from sync import settings
    from sync.ingest import HubIngest

    config = _hub_config(config_file, data_dir)
    run_apart(_prepare_hub, config)
    link_settings = settings.read(Path(config["data_dir"]) / settings.HUB_FILE)
    work = HubIngest(
        make_engine(config["database_url"], durable=True),
        settings.access(link_settings, f"hub-ingest-{name}"),
    )
    _run_until_stopped(work.run)


def _staff_options(command):
    """Add the options of ``add-staff``, the same on a box and at the hub."""
    options = [
        click.option("--username", required=True),
        click.option("--name", "display_name", required=True, help="Name shown to others."),
        click.option(
            "--role",
            required=True,
            type=click.Choice(["caretaker", "landlord_agent", "publisher", "merchant", "operator"]),
        ),
        click.option("--building", "buildings", multiple=True, help="Building name (repeatable)."),
        click.password_option(),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@box.command("add-staff")
@click.option("--data-dir", type=click.Path(file_okay=False), help="Data folder of the box.")
@_staff_options
def add_staff(data_dir, username, display_name, role, buildings, password) -> None:
    """Create a staff account attached to some buildings."""
    _create_staff(
        _config(None, data_dir=data_dir), username, display_name, role, buildings, password
    )


def _create_staff(config: dict, username, display_name, role, buildings, password) -> None:
    from appliance.domain import people
    from appliance.domain.errors import DomainError
    from appliance.storage import migrations

    engine = make_engine(config["database_url"])
    migrations.upgrade(engine)
    with writing(engine) as connection:
        ids = _building_ids(connection, buildings)
        try:
            people.create_staff(connection, username, display_name, password, role, ids)
        except DomainError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"staff account {username} created")


def _building_ids(connection, names) -> list[str]:
    from appliance.domain import estate

    ids = []
    for name in names:
        found = estate.building_by_name(connection, name)
        if found is None:
            raise click.ClickException(f"no building named {name!r}")
        ids.append(found["id"])
    return ids


def _hub_config(config_file: str | None, data_dir: str | None) -> dict:
    return _config(config_file, data_dir=data_dir, role="hub")


def _hub_settings(config: dict) -> dict:
    from sync import settings

    path = Path(config["data_dir"]) / settings.HUB_FILE
    if not path.exists():
        raise click.ClickException(f"{path} is missing: run `residacoeur hub setup-broker` first")
    return settings.read(path)


@hub.command("setup-broker")
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), help="TOML settings file."
)
@click.option("--data-dir", type=click.Path(file_okay=False), help="Data folder of the hub.")
@click.option(
    "--port",
    type=int,
    required=True,
    help="Port of the hub's own processes, on 127.0.0.1; boxes' too without --tls-port.",
)
@click.option("--tls-port", type=int, help="Port boxes reach over TLS.")
@click.option(
    "--host",
    default="localhost",
    show_default=True,
    help="Name or address boxes reach the broker at (in its certificate and enrolments).",
)
@click.option(
    "--broker-dir",
    type=click.Path(file_okay=False),
    help="Folder of the broker's files  [default: DATA_DIR/broker]",
)
@click.option("--run-as", help="User a broker started as root switches to.")
@click.option(
    "--pid-file",
    type=click.Path(dir_okay=False),
    help="Where the running broker's pid is found  [default: in the broker's folder]",
)
def setup_broker(
    config_file: str | None,
    data_dir: str | None,
    port: int,
    tls_port: int | None,
    host: str,
    broker_dir: str | None,
    run_as: str | None,
    pid_file: str | None,
) -> None:
    """Write the broker's folder and the hub's credentials (hub-link.json)."""
    from provisioning import hub_broker
    from provisioning.broker_plugin import RulesPluginMissing

    config = _hub_config(config_file, data_dir)
    try:
        hub_settings = hub_broker.set_up_broker(
            Path(config["data_dir"]),
            port,
            tls_port,
            host,
            Path(broker_dir) if broker_dir else None,
            run_as,
            pid_file=Path(pid_file).resolve() if pid_file else None,
        )
    except RulesPluginMissing as error:
        raise click.ClickException(str(error)) from None
    folder = hub_broker.broker_folder(hub_settings)
    boxes = hub_settings["boxes_connect_to"]
    how = "over TLS" if boxes["ca_file"] else "in clear: use --tls-port beyond a closed network"
    click.echo(f"broker folder written: start it with  mosquitto -c {folder.config}")
    click.echo(f"boxes will connect to {boxes['host']}:{boxes['port']} {how}")


@hub.command("enrol-box")
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), help="TOML settings file."
)
@click.option("--data-dir", type=click.Path(file_okay=False), help="Data folder of the hub.")
@click.option("--box-id", required=True, help="Letters, digits, '.', '_' and '-'.")
@click.option("--label", required=True, help="Name shown in the fleet.")
@click.option(
    "--building", "buildings", multiple=True, required=True, help="Building name (repeatable)."
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="File to write the enrolment to, for the box's `residacoeur box enrol`.",
)
def enrol_box_command(
    config_file: str | None,
    data_dir: str | None,
    box_id: str,
    label: str,
    buildings: tuple[str, ...],
    out: str,
) -> None:
    """Enrol a box for some buildings and write the enrolment file it needs to link."""

    from appliance.domain import link
    from appliance.domain.errors import DomainError
    from appliance.storage import migrations
    from appliance.storage.engine import writing
    from provisioning import hub_broker
    from provisioning.enrolment import enrol_box

    config = _hub_config(config_file, data_dir)
    hub_settings = _hub_settings(config)
    engine = make_engine(config["database_url"])
    migrations.upgrade(engine)
    with writing(engine) as connection:
        if link.is_peer(connection, box_id):
            raise click.ClickException(f"box {box_id} is already enrolled")
        try:
            enrolment = enrol_box(
                connection,
                hub_broker.broker_folder(hub_settings).passwords,
                box_id,
                label,
                _building_ids(connection, buildings),
                hub_broker.broker_for_boxes(hub_settings),
            )
        except (ValueError, DomainError) as error:
            raise click.ClickException(str(error)) from None
    # The file holds the box's broker password.
    with private_file(out) as handle:
        json.dump(enrolment, handle, ensure_ascii=False, indent=2)
    click.echo(f"box {box_id} enrolled; take {out} to it for `residacoeur box enrol`")
    if hub_broker.reload_running_broker(hub_settings):
        click.echo("the broker has re-read its passwords")
    else:
        click.echo(
            "no running broker found: send it SIGHUP (or restart it) so it knows the new box"
        )


@hub.command("retire-box")
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), help="TOML settings file."
)
@click.option("--data-dir", type=click.Path(file_okay=False), help="Data folder of the hub.")
@click.option("--box-id", required=True, help="The box to take out of the fleet.")
def retire_box_command(config_file: str | None, data_dir: str | None, box_id: str) -> None:
    """Take a broken or replaced box out of the fleet; a box enrolled next for its
    buildings gets their news, works and noticeboard back."""
    from appliance.domain import fleet
    from appliance.domain.errors import DomainError
    from appliance.storage.engine import writing
    from provisioning import hub_broker
    from provisioning.broker_credentials import remove_user

    config = _hub_config(config_file, data_dir)
    hub_settings = _hub_settings(config)
    engine = make_engine(config["database_url"])
    with writing(engine) as connection:
        try:
            buildings = fleet.retire(connection, box_id)
        except DomainError as error:
            raise click.ClickException(str(error)) from None
    remove_user(hub_broker.broker_folder(hub_settings).passwords, box_id)
    click.echo(f"box {box_id} is out of the fleet; {len(buildings)} buildings wait for a box")
    if not hub_broker.reload_running_broker(hub_settings):
        click.echo("no running broker found: send it SIGHUP so it forgets the box")


@hub.command("add-building")
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), help="TOML settings file."
)
@click.option("--data-dir", type=click.Path(file_okay=False), help="Data folder of the hub.")
@click.option("--residence", required=True, help="Residence name (made if new).")
@click.option("--district", required=True)
@click.option("--city", required=True)
@click.option("--building", required=True, help="Building name.")
@click.option("--address", default="", help="Street address of the building.")
def add_building(
    config_file: str | None,
    data_dir: str | None,
    residence: str,
    district: str,
    city: str,
    building: str,
    address: str,
) -> None:
    """Add a building (and its residence, the first time) to the hub's estate."""
    from sqlalchemy import select

    from appliance.domain import estate, link
    from appliance.storage import migrations
    from appliance.storage.engine import writing
    from appliance.storage.schema import residences

    config = _hub_config(config_file, data_dir)
    engine = make_engine(config["database_url"])
    migrations.upgrade(engine)
    with writing(engine) as connection:
        link.become_hub(connection)
        home = (
            connection.execute(select(residences).where(residences.c.name == residence))
            .mappings()
            .first()
        )
        if home is None:
            residence_id = estate.add_residence(connection, residence, district, city)
        elif (home["district"], home["city"]) != (district, city):
            raise click.ClickException(
                f"{residence} is in {home['district']}, {home['city']}: say so, or name "
                "another residence"
            )
        else:
            residence_id = home["id"]
        if estate.building_by_name(connection, building) is not None:
            raise click.ClickException(f"a building named {building!r} already exists")
        estate.add_building(connection, residence_id, building, address)
    click.echo(f"{building} added to {residence}")


@hub.command("add-staff")
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), help="TOML settings file."
)
@click.option("--data-dir", type=click.Path(file_okay=False), help="Data folder of the hub.")
@_staff_options
def hub_add_staff(config_file, data_dir, username, display_name, role, buildings, password) -> None:
    """Create a staff account of the hub's console attached to some buildings."""
    _create_staff(
        _hub_config(config_file, data_dir), username, display_name, role, buildings, password
    )


@box.command("import-dwellings")
# Bytes: the roster's encoding is found from its content (UTF-8 or Windows-1252).
@click.argument("roster", type=click.File("rb"))
@click.option("--data-dir", type=click.Path(file_okay=False), help="Data folder of the box.")
@click.option(
    "--codes-out",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="CSV file to write the new access codes to, for printing the letters.",
)
def import_dwellings(roster, data_dir: str | None, codes_out: str) -> None:
    """Register the dwellings of a CSV roster (reference,building,staircase,floor)."""

    from appliance.domain import estate
    from appliance.domain.errors import DomainError
    from appliance.storage import migrations
    from provisioning import spreadsheet_cells
    from provisioning.roster import RosterError, import_roster

    config = _config(None, data_dir=data_dir)
    secrets = ensure_secrets(config["data_dir"])
    engine = make_engine(config["database_url"])
    migrations.upgrade(engine)
    try:
        with writing(engine) as connection:
            issued = import_roster(
                connection,
                secrets["access_code_pepper"],
                roster,
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
    with private_file(codes_out, newline="") as handle:
        writer = spreadsheet_cells.Writer(handle)
        writer.writerow(["reference", "building", "code"])
        for row in issued:
            writer.writerow(
                [row["reference"], row["building_name"], access_codes.printable(row["code"])]
            )
    click.echo(f"{len(issued)} dwellings registered; their codes are in {codes_out}")


@main.command()
@click.option(
    "--port",
    type=int,
    default=8000,
    show_default=True,
    help="First port: boxes on it and the next ones, then the hub; the broker from +10.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--data-dir", type=click.Path(file_okay=False), default="demo-data", show_default=True
)
@click.option(
    "--workers",
    type=int,
    help="gunicorn workers of each web service [default: 1 each, 2 for a box alone]",
)
@click.option(
    "--box-only",
    is_flag=True,
    help="One box holding the whole estate, without broker or hub (for benchmarks).",
)
def demo(port: int, host: str, data_dir: str, workers: int | None, box_only: bool) -> None:
    """Run a fictitious estate on this machine: a broker, the hub and a box per building.

    Its logins are written to DATA_DIR/demo-logins.json; started again with the same
    folder, it takes the same estate up again.
    """
    if box_only:
        _demo_box(port, host, Path(data_dir), workers or 2)
    else:
        _demo_estate(port, host, Path(data_dir), workers or 1)


def _demo_estate(port: int, host: str, data_dir: Path, workers: int) -> None:
    import sys

    from appliance.demo import layout, linked, processes

    if not Path(processes.MOSQUITTO).exists():
        raise click.ClickException(
            f"{processes.MOSQUITTO} is missing: install Debian's mosquitto package "
            "(scripts/setup.sh does), or run a box alone with --box-only"
        )
    plan = layout.plan(data_dir, port, host)
    taken = layout.taken_ports(plan)
    if taken:
        raise click.ClickException(f"already in use: {', '.join(taken)}; choose another --port")
    try:
        logins = run_apart(linked.ensure_whole_estate, plan)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from None
    click.echo(linked.describe(logins, plan))
    sys.exit(processes.run(plan, workers))


def _demo_box(port: int, host: str, data_dir: Path, workers: int) -> None:
    if (data_dir / "hub").exists():
        raise click.ClickException(
            f"{data_dir} holds a whole demo estate; give --box-only another --data-dir"
        )
    config = _config(None, data_dir=str(data_dir), bind=f"{host}:{port}", workers=workers)
    url = f"http://{'localhost' if host in {'127.0.0.1', '0.0.0.0'} else host}:{port}/"
    click.echo(run_apart(_prepare_demo_box, config, url))
    serve(config)


def _prepare_demo_box(config: dict, url: str) -> str:
    from appliance.demo import estate
    from appliance.storage import migrations

    secrets = ensure_secrets(config["data_dir"])
    engine = make_engine(config["database_url"])
    migrations.upgrade(engine)
    logins_file = Path(config["data_dir"]) / "demo-logins.json"
    with writing(engine) as connection:
        logins = estate.ensure_demo_estate(connection, secrets["access_code_pepper"], logins_file)
    engine.dispose()
    logins = estate.with_url(logins, url)
    estate.write_logins(logins_file, logins)
    return estate.describe_box_only(logins, logins_file)


if __name__ == "__main__":
    main()
