"""A hub and a box linked through a real Mosquitto, for tests of the link.

Both databases start as copies of the suite's small estate (same ids on both sides, as
an enrolment would make them); the hub enrols the box for both buildings.
"""

from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from core.domain import access_codes, people, reports, side
from core.secrets import ensure_secrets
from core.storage.engine import make_engine, writing
from link import settings
from link.agent import BoxAgent
from link.ingest import HubIngest
from provisioning.broker_credentials import issue_hub_credentials
from provisioning.enrolment import accept_enrolment, enrol_box
from tests.conftest import PIN
from tests.support.databases import copy_database
from tests.support.mosquitto import HOST, Broker

BOX_ID = "box-tilleuls"


class Running:
    """A link process run as a thread of the test, stopped on demand."""

    def __init__(self, work) -> None:
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=work.run, args=(self.stop_event,), daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(timeout=10)


@dataclass
class Linked:
    broker: Broker
    hub: Engine
    box: Engine
    box_dir: Path
    hub_settings: dict
    box_settings: dict

    def ingest(self, client_suffix: str = "1") -> Running:
        access = settings.access(self.hub_settings, f"hub-ingest-{client_suffix}")
        return Running(HubIngest(self.hub, access))

    def agent(self, telemetry_every_s: float = 60.0) -> Running:
        access = settings.access(self.box_settings, BOX_ID)
        return Running(BoxAgent(self.box, BOX_ID, access, str(self.box_dir), telemetry_every_s))

    def dispose(self) -> None:
        self.hub.dispose()
        self.box.dispose()


def link_estate(folder: Path, broker: Broker, template: Path, secrets_file: Path) -> Linked:
    """Make a hub and a box from the estate template, enrolled over the broker's TLS port."""
    hub_dir, box_dir = folder / "hub-side", folder / "box-side"
    hub_dir.mkdir()
    box_dir.mkdir()
    shutil.copy(secrets_file, box_dir / secrets_file.name)
    copy_database(template, hub_dir / "hub.sqlite3")
    copy_database(template, box_dir / "box.sqlite3")
    hub = make_engine(f"sqlite:///{hub_dir / 'hub.sqlite3'}")
    box = make_engine(f"sqlite:///{box_dir / 'box.sqlite3'}")
    hub_password = issue_hub_credentials(broker.files.passwords)
    hub_settings = {
        "broker_host": HOST,
        "broker_port": broker.port,
        "ca_file": None,
        "username": "hub",
        "password": hub_password,
    }
    settings.write(hub_dir / settings.HUB_FILE, hub_settings)
    with writing(hub) as connection:
        side.become_hub(connection)
        from core.domain import estate

        enrolment = enrol_box(
            connection,
            broker.files.passwords,
            BOX_ID,
            "Les Tilleuls",
            estate.building_ids(connection),
            {"host": HOST, "port": broker.tls_port, "ca_pem": broker.ca_path.read_text()},
        )
    broker.reload()
    with writing(box) as connection:
        accept_enrolment(connection, box_dir, enrolment)
    return Linked(
        broker, hub, box, box_dir, hub_settings, settings.read(box_dir / settings.BOX_FILE)
    )


def file_reports(linked: Linked, estate, count: int, seconds: float = 0.0) -> set[str]:
    """A new tenant of A-01 files ``count`` reports on the box, evenly over ``seconds``;
    return their ids."""
    pepper = ensure_secrets(linked.box_dir)["access_code_pepper"]
    with writing(linked.box) as connection:
        code = access_codes.find(connection, pepper, estate.codes["A-01"])
        profile_id = people.create_profile(
            connection, code["id"], estate.dwellings["A-01"], "Odette", "fr", PIN, PIN
        )
        tenant = people.get_profile(connection, profile_id)
    filed = set()
    for number in range(count):
        with writing(linked.box) as connection:
            filed.add(reports.file(connection, tenant, "noise", "hall", f"Bruit n° {number}"))
        time.sleep(seconds / count)
    return filed
