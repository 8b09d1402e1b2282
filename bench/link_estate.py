"""A hub and its boxes for the link's benchmarks, built the way an operator enrols them.

The hub's database is a SQLite file or a fresh PostgreSQL database made for one run and
dropped after it; both are brought up by the migrations. Boxes get their own broker
credentials from ``provisioning.enrolment``, as in the field. Boxes connect on the
broker's plain loopback listener: TLS would add the same cost to the link and to the
plain publish loop it is compared with, and none of it to the hub's database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Engine

from core.domain import access_codes, estate, people, side
from core.domain.clock import new_id
from core.secrets import ensure_secrets
from core.storage import migrations
from core.storage.engine import make_engine, writing
from link import settings
from link.mqtt_link import BrokerAccess
from provisioning.broker_credentials import issue_hub_credentials
from provisioning.enrolment import accept_enrolment, enrol_box
from tests.support.mosquitto import HOST, Broker

# The machine's PostgreSQL: trust authentication for local connections.
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"
BOX_ID = "box-bench"
PIN = "2580"
AGENT_PASSWORD = "correct horse battery"


@contextmanager
def hub_database(kind: str, folder: Path, server: str = POSTGRES) -> Iterator[str]:
    """Yield the URL of an empty hub database brought to the newest schema; drop it after."""
    if kind == "sqlite":
        url = f"sqlite:///{folder / 'hub.sqlite3'}"
        _migrate(url)
        yield url
        return
    name = f"residacoeur_bench_{new_id()[:12]}"
    admin = server.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        url = f"{server}/{name}"
        _migrate(url)
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _migrate(url: str) -> None:
    engine = make_engine(url)
    try:
        migrations.upgrade(engine)
        with writing(engine) as connection:
            side.become_hub(connection)
    finally:
        engine.dispose()


def hub_access(broker: Broker, client_id: str, password: str) -> BrokerAccess:
    """How a hub ingest process reaches the broker."""
    return BrokerAccess(HOST, broker.port, "hub", password, client_id)


def broker_of(broker: Broker) -> dict[str, Any]:
    """The broker address written in enrolments: its plain loopback listener."""
    return {"host": HOST, "port": broker.port}


def tls_address(broker: Broker) -> dict[str, Any]:
    """The broker address written in enrolments for the field: the boxes' TLS listener."""
    return {"host": HOST, "port": broker.tls_port, "ca_pem": broker.ca_path.read_text()}


@dataclass
class Pair:
    """One hub and one box enrolled for a building, with a tenant and a landlord agent."""

    hub_url: str
    box_dir: Path
    hub_password: str
    box_access: BrokerAccess
    tenant_id: str
    agent_id: str

    @property
    def box_url(self) -> str:
        return f"sqlite:///{self.box_dir / 'box.sqlite3'}"


def link_pair(
    folder: Path, broker: Broker, hub_url: str, address: dict[str, Any] | None = None
) -> Pair:
    """Enrol a box at the hub and on the box; give the box a tenant, the hub an agent.

    ``address``: the broker as the enrolment gives it to the box (its plain listener if
    not said, ``tls_address`` for the boxes' TLS one).
    """
    hub = make_engine(hub_url)
    with writing(hub) as connection:
        residence_id = estate.add_residence(connection, "Les Tilleuls", "La Viste", "Marseille")
        building_id = estate.add_building(connection, residence_id, "Bâtiment A")
        agent_id = people.create_staff(
            connection, "agent", "Agent", AGENT_PASSWORD, "landlord_agent", [building_id]
        )
        enrolment = enrol_box(
            connection,
            broker.files.passwords,
            BOX_ID,
            "Les Tilleuls A",
            [building_id],
            address or broker_of(broker),
        )
    hub.dispose()
    hub_password = issue_hub_credentials(broker.files.passwords)
    broker.reload()
    box_dir = folder / "box"
    pepper = ensure_secrets(box_dir)["access_code_pepper"]
    box = make_engine(f"sqlite:///{box_dir / 'box.sqlite3'}")
    migrations.upgrade(box)
    with writing(box) as connection:
        accept_enrolment(connection, box_dir, enrolment)
        dwelling_id = estate.register_dwelling(connection, building_id, "A-101", "A", 1)
        code = access_codes.find(
            connection, pepper, access_codes.issue(connection, pepper, dwelling_id)
        )
        tenant_id = people.create_profile(
            connection, code["id"], dwelling_id, "Odette", "fr", PIN, PIN
        )
    box.dispose()
    box_settings = settings.read(box_dir / settings.BOX_FILE)
    return Pair(
        hub_url,
        box_dir,
        hub_password,
        settings.access(box_settings, BOX_ID),
        tenant_id,
        agent_id,
    )


def enrol_neighbour(broker: Broker, hub_url: str, box_id: str) -> BrokerAccess:
    """Enrol another box at the hub, serving no building; return how it signs in on the
    boxes' TLS listener. Reload the broker afterwards."""
    hub = make_engine(hub_url)
    with writing(hub) as connection:
        enrolment = enrol_box(
            connection, broker.files.passwords, box_id, box_id, [], tls_address(broker)
        )
    hub.dispose()
    return BrokerAccess(
        HOST, broker.tls_port, box_id, enrolment["password"], box_id, str(broker.ca_path)
    )


def tenant(box: Engine, pair: Pair) -> dict[str, Any]:
    """The tenant's profile as reports.file expects it."""
    with box.connect() as connection:
        return people.get_profile(connection, pair.tenant_id)


def agent(hub: Engine, pair: Pair) -> dict[str, Any]:
    """The landlord agent as reports.move expects them."""
    with hub.connect() as connection:
        return people.get_staff(connection, pair.agent_id)


@dataclass(frozen=True)
class FleetBox:
    """A box enrolled at the hub for one building, as a simulated box needs it."""

    box_id: str
    password: str
    building_id: str


def enrol_fleet(
    passwords: Path, broker: dict[str, Any], hub_url: str, count: int
) -> tuple[list[FleetBox], str]:
    """Enrol ``count`` boxes, one building each; return them and the hub's broker password.

    Reload the broker afterwards, so that it knows the new passwords.
    """
    hub = make_engine(hub_url)
    fleet: list[FleetBox] = []
    with writing(hub) as connection:
        residence_id = estate.add_residence(connection, "Cité du banc", "Nord", "Marseille")
        for number in range(count):
            building_id = estate.add_building(connection, residence_id, f"Bâtiment {number:04d}")
            box_id = f"bench-box-{number:04d}"
            enrolment = enrol_box(
                connection, passwords, box_id, f"Bâtiment {number:04d}", [building_id], broker
            )
            fleet.append(FleetBox(box_id, enrolment["password"], building_id))
    hub.dispose()
    return fleet, issue_hub_credentials(passwords)
