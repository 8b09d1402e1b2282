"""``residacoeur hub``: the processes and tasks of the central hub."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from appliance.child_process import run_apart
from appliance.cli import options
from appliance.cli.running import run_until_stopped
from appliance.cli.staff import create_staff
from core.domain import estate, fleet, side
from core.domain.errors import DomainError
from core.private_files import private_file
from core.secrets import ensure_secrets
from core.storage.engine import make_engine, writing


@click.group()
def hub() -> None:
    """Processes and tasks of the central hub."""


def _hub_config(config_file: str | None, data_dir: str | None, **overrides: Any) -> dict[str, Any]:
    return options.settings(config_file, data_dir=data_dir, role="hub", **overrides)


def _hub_settings(config: dict[str, Any]) -> dict[str, Any]:
    from link import settings

    path = Path(config["data_dir"]) / settings.HUB_FILE
    if not path.exists():
        raise click.ClickException(f"{path} is missing: run `residacoeur hub setup-broker` first")
    return settings.read(path)


def _prepare_hub(config: dict[str, Any]) -> None:
    from core.storage import migrations

    ensure_secrets(config["data_dir"])
    engine = make_engine(config["database_url"])
    migrations.upgrade(engine)
    with writing(engine) as connection:
        side.become_hub(connection)
    engine.dispose()


@hub.command("web")
@options.config_file
@options.hub_data_dir
@options.web_server
def hub_web(
    config_file: str | None, data_dir: str | None, bind: str | None, workers: int | None
) -> None:
    """Serve the staff console and the API of the hub under gunicorn."""
    from appliance.web_service import WebService

    config = _hub_config(config_file, data_dir, bind=bind, workers=workers)
    run_apart(_prepare_hub, config)
    WebService(config).run()


@hub.command()
@options.config_file
@options.hub_data_dir
@click.option("--name", default="1", show_default=True, help="Distinguishes this process.")
def ingest(config_file: str | None, data_dir: str | None, name: str) -> None:
    """Apply what boxes send and send them the hub's news and answers (one of several)."""
    from link import settings
    from link.ingest import HubIngest

    config = _hub_config(config_file, data_dir)
    run_apart(_prepare_hub, config)
    link_settings = settings.read(Path(config["data_dir"]) / settings.HUB_FILE)
    work = HubIngest(
        make_engine(config["database_url"], durable=True),
        settings.access(link_settings, f"hub-ingest-{name}"),
    )
    run_until_stopped(work.run)


@hub.command()
@options.config_file
@options.hub_data_dir
def certificates(config_file: str | None, data_dir: str | None) -> None:
    """Name the boxes under box_domain and obtain their certificates by ACME DNS-01."""
    from provisioning.certificate_keeper import CertificateKeeper

    config = _hub_config(config_file, data_dir)
    if not config["box_domain"]:
        raise click.ClickException("box_domain is not set: boxes have no public names")
    run_apart(_prepare_hub, config)
    work = CertificateKeeper(make_engine(config["database_url"], durable=True), config)
    run_until_stopped(work.run)


@hub.command("setup-broker")
@options.config_file
@options.hub_data_dir
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
@options.config_file
@options.hub_data_dir
@click.option("--box-id", required=True, help="Letters, digits, '.', '_' and '-'.")
@click.option("--label", required=True, help="Name shown in the fleet.")
@options.building_names(required=True)
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
    from core.storage import migrations
    from provisioning import hub_broker
    from provisioning.enrolment import enrol_box

    config = _hub_config(config_file, data_dir)
    hub_settings = _hub_settings(config)
    engine = make_engine(config["database_url"])
    migrations.upgrade(engine)
    with writing(engine) as connection:
        if side.is_peer(connection, box_id):
            raise click.ClickException(f"box {box_id} is already enrolled")
        try:
            enrolment = enrol_box(
                connection,
                hub_broker.broker_folder(hub_settings).passwords,
                box_id,
                label,
                estate.building_ids_by_name(connection, buildings),
                hub_broker.broker_for_boxes(hub_settings),
                box_domain=config["box_domain"],
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
@options.config_file
@options.hub_data_dir
@click.option("--box-id", required=True, help="The box to take out of the fleet.")
def retire_box_command(config_file: str | None, data_dir: str | None, box_id: str) -> None:
    """Take a broken or replaced box out of the fleet; a box enrolled next for its
    buildings gets their news, works and noticeboard back."""
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
@options.config_file
@options.hub_data_dir
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
    from core.storage import migrations

    config = _hub_config(config_file, data_dir)
    engine = make_engine(config["database_url"])
    migrations.upgrade(engine)
    with writing(engine) as connection:
        side.become_hub(connection)
        try:
            estate.add_building_to_residence(
                connection, residence, district, city, building, address
            )
        except DomainError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"{building} added to {residence}")


@hub.command("add-staff")
@options.config_file
@options.hub_data_dir
@options.staff_account
def hub_add_staff(
    config_file: str | None,
    data_dir: str | None,
    username: str,
    display_name: str,
    role: str,
    buildings: tuple[str, ...],
    password: str,
) -> None:
    """Create a staff account of the hub's console attached to some buildings."""
    create_staff(
        _hub_config(config_file, data_dir), username, display_name, role, buildings, password
    )
