"""``residacoeur demo``: a fictitious estate on this machine, whole or as one box alone."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from appliance.child_process import run_apart
from appliance.cli import options
from appliance.cli.box import serve
from core.secrets import ensure_secrets
from core.storage.engine import make_engine, writing


@click.command()
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
    config = options.settings(None, data_dir=str(data_dir), bind=f"{host}:{port}", workers=workers)
    url = f"http://{'localhost' if host in {'127.0.0.1', '0.0.0.0'} else host}:{port}/"
    click.echo(run_apart(_prepare_demo_box, config, url))
    serve(config)


def _prepare_demo_box(config: dict[str, Any], url: str) -> str:
    from appliance.demo import estate
    from core.storage import migrations

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
