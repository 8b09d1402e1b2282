"""An operator sets a hub up with its broker and enrols a box, all from the command line.

The broker is a real Mosquitto run from the folder the command wrote; the box then links
to the hub with nothing but the enrolment file.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from core.config import load_config
from core.storage.engine import make_engine
from core.storage.schema import boxes, buildings
from link import settings
from link.agent import BoxAgent
from link.ingest import HubIngest
from link.mqtt_link import wait_until
from tests.support.linked import Running
from tests.support.mosquitto import MOSQUITTO, free_ports

RESIDACOEUR = str(Path(sys.executable).with_name("residacoeur"))
RUNNING = re.compile(r"mosquitto version \S+ running$", re.MULTILINE)
TIMEOUT = 10.0


def residacoeur(*arguments: str) -> subprocess.CompletedProcess:
    # Settings of the caller's environment must not point the command elsewhere.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RESIDACOEUR_")}
    return subprocess.run(
        [RESIDACOEUR, *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


def ok(*arguments: str) -> str:
    result = residacoeur(*arguments)
    assert result.returncode == 0, result.stderr
    return result.stdout


def database(data_dir: Path, role: str) -> str:
    return load_config(environ={}, overrides={"data_dir": str(data_dir), "role": role})[
        "database_url"
    ]


@pytest.fixture
def running_broker(tmp_path: Path):
    """Start Mosquitto from the folder ``hub setup-broker`` wrote, as its service would."""
    started: list[subprocess.Popen] = []

    def start(hub_dir: Path) -> None:
        hub_settings = settings.read(hub_dir / settings.HUB_FILE)
        folder = Path(hub_settings["broker_folder"])
        process = subprocess.Popen(
            [MOSQUITTO, "-c", str(folder / "mosquitto.conf")],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        log = folder / "mosquitto.log"
        assert wait_until(
            lambda: log.exists() and RUNNING.search(log.read_text(errors="replace")), TIMEOUT
        ), "the broker did not start"
        Path(hub_settings["broker_pid_file"]).write_text(f"{process.pid}\n")

    yield start
    for process in started:
        process.kill()
        process.wait(TIMEOUT)


def test_a_box_enrolled_from_the_command_line_links_to_the_hub(tmp_path, running_broker):
    hub_dir, box_dir = tmp_path / "hub", tmp_path / "box"
    port, tls_port = free_ports(2)
    ok(
        "hub", "add-building", "--data-dir", str(hub_dir), "--residence", "Les Tilleuls",
        "--district", "Saint-Louis", "--city", "Marseille", "--building", "Tilleuls 1",
    )  # fmt: skip
    out = ok(
        "hub", "setup-broker", "--data-dir", str(hub_dir), "--port", str(port),
        "--tls-port", str(tls_port), "--host", "127.0.0.1",
        "--run-as", pwd.getpwuid(os.geteuid()).pw_name,
    )  # fmt: skip
    assert "over TLS" in out
    hub_link = hub_dir / settings.HUB_FILE
    assert stat.S_IMODE(hub_link.stat().st_mode) == 0o600
    running_broker(hub_dir)

    enrolment_file = tmp_path / "tilleuls-1.json"
    enrol = (
        "hub", "enrol-box", "--data-dir", str(hub_dir), "--box-id", "tilleuls-1",
        "--label", "Loge des Tilleuls", "--building", "Tilleuls 1", "--out", str(enrolment_file),
    )  # fmt: skip
    assert "re-read its passwords" in ok(*enrol)
    assert stat.S_IMODE(enrolment_file.stat().st_mode) == 0o600
    again = residacoeur(*enrol)
    assert again.returncode != 0 and "already enrolled" in again.stderr
    elsewhere = residacoeur(
        *enrol[:5], "tilleuls-2", *enrol[6:8], "--building", "Nulle part", *enrol[10:]
    )
    assert elsewhere.returncode != 0 and "no building named" in elsewhere.stderr

    assert "linked to the hub" in ok(
        "box", "enrol", str(enrolment_file), "--data-dir", str(box_dir)
    )
    hub, box = make_engine(database(hub_dir, "hub")), make_engine(database(box_dir, "box"))
    try:
        with hub.connect() as connection:
            at_hub = connection.execute(select(buildings)).mappings().all()
        with box.connect() as connection:
            on_box = connection.execute(select(buildings)).mappings().all()
        assert on_box == at_hub
        assert json.loads(enrolment_file.read_text())["broker"]["port"] == tls_port

        box_settings = settings.read(box_dir / settings.BOX_FILE)
        hub_settings = settings.read(hub_link)
        ingest = Running(HubIngest(hub, settings.access(hub_settings, "hub-ingest-1")))
        agent = Running(
            BoxAgent(box, "tilleuls-1", settings.access(box_settings, "tilleuls-1"), str(box_dir))
        )
        try:

            def online() -> bool:
                with hub.connect() as connection:
                    return bool(
                        connection.execute(
                            select(boxes.c.online).where(boxes.c.id == "tilleuls-1")
                        ).scalar()
                    )

            assert wait_until(online, TIMEOUT), "the box never came online at the hub"
        finally:
            agent.stop()
            ingest.stop()
    finally:
        hub.dispose()
        box.dispose()


def test_setting_the_broker_up_again_keeps_the_hubs_password_and_authority(tmp_path):
    hub_dir = tmp_path / "hub"
    port, tls_port, other = free_ports(3)
    first = (
        "hub", "setup-broker", "--data-dir", str(hub_dir), "--port", str(port),
        "--tls-port", str(tls_port),
    )  # fmt: skip
    ok(*first)
    before = settings.read(hub_dir / settings.HUB_FILE)
    authority = (hub_dir / "broker" / "tls" / "ca.pem").read_bytes()
    ok(*first[:-1], str(other))
    after = settings.read(hub_dir / settings.HUB_FILE)
    assert after["password"] == before["password"]
    assert after["boxes_connect_to"]["port"] == other
    assert (hub_dir / "broker" / "tls" / "ca.pem").read_bytes() == authority
    assert f"listener {other}" in (hub_dir / "broker" / "mosquitto.conf").read_text()
