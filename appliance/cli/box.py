"""``residacoeur box``: the processes and tasks of a building box."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO, Any

import click
from sqlalchemy import Connection

from appliance.child_process import run_apart
from appliance.cli import options
from appliance.cli.running import run_until_stopped
from appliance.cli.staff import create_staff
from appliance.services.read_aloud.refresh import refresh_box
from core import box_certificate
from core.domain import access_codes, estate, housekeeping
from core.domain.errors import DomainError
from core.domain.people import LOCALES
from core.private_files import private_file
from core.secrets import ensure_secrets
from core.storage.engine import make_engine, writing


@click.group()
def box() -> None:
    """Processes and tasks of a building box."""


@box.command()
@options.config_file
@options.box_data_dir
def migrate(config_file: str | None, data_dir: str | None) -> None:
    """Bring the database schema up to date, keeping all data."""
    from core.storage import migrations

    config = options.settings(config_file, data_dir=data_dir)
    migrations.upgrade(make_engine(config["database_url"]))
    click.echo("database schema is current")


@box.command()
@options.config_file
@options.box_data_dir
@options.web_server
def web(
    config_file: str | None, data_dir: str | None, bind: str | None, workers: int | None
) -> None:
    """Serve the portal, the staff pages and the API under gunicorn."""
    config = options.settings(config_file, data_dir=data_dir, bind=bind, workers=workers)
    serve(config)


def serve(config: dict[str, Any]) -> None:
    """Prepare the data folder and run the web service in the foreground."""
    from appliance.web_service import WebService

    run_apart(_prepare_box, config)
    WebService(config).run()


def _prepare_box(config: dict[str, Any]) -> None:
    from core.storage import migrations

    ensure_secrets(config["data_dir"])
    engine = make_engine(config["database_url"])
    migrations.upgrade(engine)
    with writing(engine) as connection:
        housekeeping.run(connection, config)
    engine.dispose()


@box.command()
@options.config_file
@options.box_data_dir
def front(config_file: str | None, data_dir: str | None) -> None:
    """Run the front server (nginx): HTTPS, static files, the web service behind it."""
    from appliance import front_server
    from provisioning.front_config import FrontServerError

    config = options.settings(config_file, data_dir=data_dir)
    try:
        front_server.run(config)
    except FrontServerError as error:
        raise click.ClickException(str(error)) from None


@box.command()
@options.config_file
@options.box_data_dir
@click.option("--telemetry-every", type=float, default=60.0, show_default=True, help="Seconds.")
def link(config_file: str | None, data_dir: str | None, telemetry_every: float) -> None:
    """Carry the box's side of the link to the hub (the box's only MQTT client)."""
    from appliance.systemd_notify import SystemdNotifier
    from link import settings
    from link.agent import BoxAgent

    config = options.settings(config_file, data_dir=data_dir)
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
    notifier = SystemdNotifier.from_environment()
    run_until_stopped(lambda stop: agent.run(stop, notifier.ready, notifier.alive))


@box.command()
@options.config_file
@options.box_data_dir
def announce(config_file: str | None, data_dir: str | None) -> None:
    """Make the box found by name on the building's network (mDNS and DNS-SD)."""
    from appliance.services.announce import announcer
    from appliance.services.announce.offer import Offer

    config = options.settings(config_file, data_dir=data_dir)
    try:
        offer = Offer.from_settings(config)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    announcer.become_announcer(offer, config["lan_interface"])


@box.command()
@options.config_file
@options.box_data_dir
def rooms(config_file: str | None, data_dir: str | None) -> None:
    """Host the box's video rooms: signalling on a socket behind the front server, media."""
    from appliance.services.rooms import service
    from provisioning.front_config import FrontServerError, live_socket

    config = options.settings(config_file, data_dir=data_dir)
    try:
        socket = live_socket(config, "rooms")
    except FrontServerError as error:
        raise click.ClickException(str(error)) from None
    ensure_secrets(config["data_dir"])
    service.become_rooms(
        {
            "socket": str(socket),
            "data_dir": str(config["data_dir"]),
            "limits": {
                "seats": config["room_seats"],
                "rooms": config["rooms_open"],
                "people": config["room_people"],
                "video_bitrate": config["video_bitrate"],
                "video_width": config["video_width"],
                "video_height": config["video_height"],
            },
        }
    )


@box.command()
@options.config_file
@options.box_data_dir
def media(config_file: str | None, data_dir: str | None) -> None:
    """Keep the news, works notices and events read aloud in step with the portal."""
    from appliance.services.media import service

    service.become_media(options.settings(config_file, data_dir=data_dir))


@box.command("housekeeping")
@options.config_file
@options.box_data_dir
def box_housekeeping(config_file: str | None, data_dir: str | None) -> None:
    """Tidy the box once: forget what has ended, warn then anonymise unused profiles."""
    config = options.settings(config_file, data_dir=data_dir)
    engine = make_engine(config["database_url"])
    with writing(engine) as connection:
        done = housekeeping.run(connection, config)
    engine.dispose()
    click.echo(
        f"{done['ended']} ended items forgotten, {done['warned']} profiles warned, "
        f"{done['anonymised']} anonymised"
    )


@box.command("read-aloud")
@options.config_file
@options.box_data_dir
def read_aloud(config_file: str | None, data_dir: str | None) -> None:
    """Speak the news, works notices and events not spoken yet; forget what is gone."""
    config = options.settings(config_file, data_dir=data_dir)
    engine = make_engine(config["database_url"])
    with engine.connect() as connection:
        done = refresh_box(connection, config)
    engine.dispose()
    click.echo(
        f"{done['readings']} readings: {done['spoken']} spoken, {done['failed']} failed, "
        f"{done['forgotten']} forgotten"
    )


@box.command()
@click.argument("enrolment_file", type=click.File("r", encoding="utf-8"))
@options.box_data_dir
def enrol(enrolment_file: IO[str], data_dir: str | None) -> None:
    """Link the box to the hub with the enrolment file the hub's operator made for it."""
    from core.storage import migrations
    from provisioning.enrolment import accept_enrolment

    config = options.settings(None, data_dir=data_dir)
    ensure_secrets(config["data_dir"])
    engine = make_engine(config["database_url"])
    migrations.upgrade(engine)
    enrolment = json.load(enrolment_file)
    with writing(engine) as connection:
        accept_enrolment(connection, Path(config["data_dir"]), enrolment)
    click.echo(f"box {enrolment['box_id']} is linked to the hub")


@box.command("add-staff")
@options.box_data_dir
@options.staff_account
def add_staff(
    data_dir: str | None,
    username: str,
    display_name: str,
    role: str,
    buildings: tuple[str, ...],
    password: str,
) -> None:
    """Create a staff account attached to some buildings."""
    create_staff(
        options.settings(None, data_dir=data_dir), username, display_name, role, buildings, password
    )


@box.command("import-dwellings")
# Bytes: the roster's encoding is found from its content (UTF-8 or Windows-1252).
@click.argument("roster", type=click.File("rb"))
@options.box_data_dir
@click.option(
    "--codes-out",
    type=click.Path(dir_okay=False, writable=True),
    help="CSV file to write the new access codes to, for printing the letters.",
)
@click.option(
    "--letters-out",
    type=click.Path(dir_okay=False, writable=True),
    help="PDF file to write the access-code letters to, one page per dwelling "
    "(needs the portal_address setting).",
)
@click.option(
    "--letters-language",
    type=click.Choice(LOCALES),
    help="Language of the letters; the default_locale setting when not given.",
)
def import_dwellings(
    roster: IO[bytes],
    data_dir: str | None,
    codes_out: str | None,
    letters_out: str | None,
    letters_language: str | None,
) -> None:
    """Register the dwellings of a CSV roster (reference,building,staircase,floor)."""
    from core.storage import migrations
    from provisioning.roster import RosterError, import_roster

    if not codes_out and not letters_out:
        raise click.UsageError("say where the new codes go: --codes-out, --letters-out or both")
    config = options.settings(None, data_dir=data_dir)
    address = config["portal_address"] or box_certificate.public_address(
        config["data_dir"], config["https_port"]
    )
    if letters_out and not address:
        raise click.UsageError(
            "the letters print the portal's address: set portal_address first "
            "(RESIDACOEUR_PORTAL_ADDRESS or the configuration file), or wait for the "
            "box's certificate from the hub"
        )
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
            letters = _letters_of(connection, issued, config, address or "", letters_language)
    except RosterError as error:
        for number, message in error.translated(
            lambda text, **params: text % params if params else text
        ):
            click.echo(f"line {number}: {message}", err=True)
        raise click.ClickException("nothing was imported") from None
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    if codes_out:
        _write_codes(codes_out, issued)
        click.echo(f"{len(issued)} dwellings registered; their codes are in {codes_out}")
    if letters_out:
        _write_letters(letters_out, letters)
        click.echo(f"{len(issued)} dwellings registered; their letters are in {letters_out}")


def _letters_of(
    connection: Connection,
    issued: list[dict[str, Any]],
    config: dict[str, Any],
    address: str,
    language: str | None,
) -> dict[str, Any]:
    from datetime import date

    from provisioning import letters
    from webui.access import SIGN_IN_PATH

    return letters.batch(
        config["box_name"],
        address,
        SIGN_IN_PATH,
        date.today(),
        letters.for_issued(connection, issued, language or config["default_locale"]),
    )


def _write_codes(path: str, issued: list[dict[str, Any]]) -> None:
    from provisioning import spreadsheet_cells

    # The codes exist nowhere else: the file is readable by its owner only.
    with private_file(path, newline="") as handle:
        writer = spreadsheet_cells.Writer(handle)
        writer.writerow(["reference", "building", "code"])
        for row in issued:
            writer.writerow(
                [row["reference"], row["building_name"], access_codes.printable(row["code"])]
            )


def _write_letters(path: str, letters_batch: dict[str, Any]) -> None:
    from provisioning import letter_pages
    from webui.i18n import catalog

    with private_file(path, "wb") as handle:
        letter_pages.write_pdf(letters_batch, handle, catalog)


@box.command("print-letters")
@options.box_data_dir
@click.option("--batch", "batch_id", required=True, help="The batch begun by the web service.")
@click.option(
    "--detach",
    is_flag=True,
    help="Once the letters are read, go on in the background and give the caller back.",
)
def print_letters(data_dir: str | None, batch_id: str, detach: bool) -> None:
    """Make a batch of access-code letters into one PDF, noting its progress.

    The letters (JSON, codes included) come on standard input, never on the command
    line, which anyone on the machine may read; the PDF goes to the batch's private
    folder in the data folder, where the staff member who asked downloads it once.
    """
    from core.domain import letter_batches

    config = options.settings(None, data_dir=data_dir)
    letters_batch = json.load(sys.stdin)
    sys.stdin.close()
    # The web worker that started this waits only for the letters to be read; the PDF
    # is made by a grandchild it need not wait for (no worker keeps a child behind).
    if detach and os.fork():
        os._exit(0)
    if detach:
        os.setsid()
    try:
        _make_batch(config["data_dir"], batch_id, letters_batch)
    except BaseException:
        letter_batches.note_failure(config["data_dir"], batch_id)
        raise


def _make_batch(data_dir: str, batch_id: str, letters_batch: dict[str, Any]) -> None:
    from core.domain import letter_batches
    from provisioning import letter_pages
    from webui.i18n import catalog

    with letter_batches.pdf_file(data_dir, batch_id) as handle:
        letter_pages.write_pdf(
            letters_batch,
            handle,
            catalog,
            lambda done: letter_batches.note_progress(data_dir, batch_id, done),
        )


@box.command("draw-qr")
def draw_qr() -> None:
    """Write the QR code of the link on standard input, as an SVG data URI.

    For the web service's lobby page, which leaves segno to this process.
    """
    from provisioning import sign_in_links

    sys.stdout.write(sign_in_links.qr_image(sys.stdin.read().strip()))


@box.command("print-poster")
def print_poster() -> None:
    """Write a building's lobby poster as PDF to standard output.

    What it shows (JSON: box_name, portal_address, building, contacts) comes on standard
    input, from the web service, which leaves the PDF's libraries to this process.
    """
    from provisioning import poster
    from webui.i18n import catalog

    shown = json.load(sys.stdin)
    poster.write_pdf(
        shown["box_name"],
        shown["portal_address"],
        shown["building"],
        shown["contacts"],
        catalog,
        sys.stdout.buffer,
    )
