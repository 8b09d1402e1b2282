"""Someone holding a neighbouring box's broker credentials cannot stop the hub.

The hub and the real box run as the machine runs them (``hub ingest``, ``box link``);
the attacker is a plain MQTT client signed in as another enrolled box, publishing on its
own branch what the broker lets through. Whatever it sends, the ingest stays up, keeps
aside each message once, and the real box's reports keep arriving.
"""

from __future__ import annotations

import json
import os
import pwd
import socket
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import func, select

from core.domain import people, reports
from core.domain.clock import new_id
from core.storage.engine import writing
from core.storage.schema import outbox, peers, quarantine
from core.storage.schema import reports as report_table
from link import downlink_gap, inbox, topics
from link.envelope import Envelope
from link.mqtt_link import wait_until
from provisioning.enrolment import enrol_box
from tests.support.link_processes import LinkProcesses, link_processes
from tests.support.linked import BOX_ID, Linked, file_reports
from tests.support.mosquitto import HOST, MOSQUITTO, Broker, Peer, free_ports

WAIT = 60.0
INTRUDER = "box-voisine"


@pytest.fixture
def processes(linked: Linked, tmp_path: Path) -> Iterator[LinkProcesses]:
    with link_processes(linked, tmp_path / "logs") as running:
        yield running


@pytest.fixture
def intruder(linked: Linked) -> Iterator[Peer]:
    """A client holding the credentials of another box enrolled at the hub."""
    with writing(linked.hub) as connection:
        enrolment = enrol_box(
            connection, linked.broker.files.passwords, INTRUDER, "La Voisine", [], {}
        )
    linked.broker.reload()
    peer = Peer(linked.broker, INTRUDER, enrolment["password"], tls=True)
    assert not peer.connect().is_failure
    yield peer
    peer.close()


def _count(engine, table) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar()


def _hostile() -> list[bytes]:
    def raw(kind: str, body: dict, seq: int | None) -> dict:
        return json.loads(
            Envelope(new_id(), INTRUDER, kind, "2026-12-01T10:00:00", body, seq).encode()
        )

    report = raw("report.filed", {"report": {}}, 1)
    return [
        json.dumps({**report, "seq": 2**63}).encode(),
        json.dumps(raw("ack", {"applied": 2**63}, None)).encode(),
        json.dumps(raw("hello", {"applied": 2**63}, None)).encode(),
        b"[" * 100_000 + b"]" * 100_000,
        b"x\n" * (128 * 1024),
        json.dumps({**report, "v": 1.0, "seq": 10**6}).encode(),
        b"\xff" * 1000,
    ]


def test_the_ingest_survives_a_neighbour_s_hostile_messages(linked, estate, processes, intruder):
    ingest = processes.hub_ingest()
    processes.box_agent()
    processes.wait_connected()
    for payload in _hostile():
        assert not intruder.publish(topics.up(INTRUDER), payload).is_failure
    filed = file_reports(linked, estate, 20)
    assert wait_until(lambda: _count(linked.box, outbox) == 0, WAIT)
    with linked.hub.connect() as connection:
        arrived = set(connection.execute(select(report_table.c.id)).scalars())
    assert filed <= arrived
    assert wait_until(lambda: _count(linked.hub, quarantine) == len(_hostile()), WAIT)
    assert ingest.running and "Traceback" not in ingest.log()


def _left_retained(broker: Broker, topic: str, payload: bytes) -> None:
    """Leave a retained message in the broker's saved state, as a broker without today's
    rules could have: a permissive broker on the same saved state takes it and saves it."""
    broker.stop()
    port = free_ports(1)[0]
    config = broker.folder / "permissive.conf"
    config.write_text(
        f"listener {port} {HOST}\nallow_anonymous true\npersistence true\n"
        f"persistence_location {broker.files.persistence}/\n"
        f"user {pwd.getpwuid(os.geteuid()).pw_name}\n"
    )
    permissive = subprocess.Popen([MOSQUITTO, "-c", str(config)], stderr=subprocess.DEVNULL)
    try:
        client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2)
        assert wait_until(lambda: _open(port), 10)
        client.connect(HOST, port)
        client.loop_start()
        client.publish(topic, payload, qos=1, retain=True).wait_for_publish(10)
        client.disconnect()
        client.loop_stop()
    finally:
        permissive.terminate()
        permissive.wait(10)
    broker.start()


def _open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex((HOST, port)) == 0


def test_a_retained_message_on_a_box_topic_is_kept_aside_once_and_cleared(
    linked, estate, processes
):
    _left_retained(linked.broker, topics.up("box-tilleuls"), b"[" * 100_000)
    ingest = processes.hub_ingest()
    processes.wait_connected()
    assert wait_until(lambda: _count(linked.hub, quarantine) == 1, WAIT)
    with linked.hub.connect() as connection:
        assert "retained" in connection.execute(select(quarantine.c.reason)).scalar()
    # Started again, the ingest is not handed it a second time.
    ingest.restart()
    processes.box_agent()
    processes.wait_connected()
    filed = file_reports(linked, estate, 3)
    assert wait_until(lambda: _count(linked.box, outbox) == 0, WAIT)
    with linked.hub.connect() as connection:
        assert filed <= set(connection.execute(select(report_table.c.id)).scalars())
    assert _count(linked.hub, quarantine) == 1
    assert "Traceback" not in ingest.log()


def test_junk_under_a_box_s_next_numbers_does_not_make_its_reports_vanish(
    linked, estate, processes
):
    """The box's own credentials and data folder, copied: junk sent under the numbers the
    box will give its next reports."""
    processes.hub_ingest()
    agent = processes.box_agent()
    processes.wait_connected()
    agent.terminate()
    with linked.box.connect() as connection:
        after = connection.execute(select(peers.c.sent_seq).where(peers.c.id == "hub")).scalar()
    copied = Peer(linked.broker, BOX_ID, linked.box_settings["password"], tls=True)
    assert not copied.connect().is_failure
    for seq in range(after + 1, after + 10):
        junk = Envelope(new_id(), BOX_ID, "report.filed", "2026-12-01T10:00:00", {}, seq)
        assert not copied.publish(topics.up(BOX_ID), junk.encode()).is_failure
    copied.close()
    assert wait_until(lambda: _count(linked.hub, quarantine) == 9, WAIT)
    filed = file_reports(linked, estate, 12)
    agent.start()
    assert wait_until(lambda: _count(linked.box, outbox) == 0, WAIT)
    with linked.hub.connect() as connection:
        assert filed <= set(connection.execute(select(report_table.c.id)).scalars())


def test_a_forged_acknowledgement_leaves_the_box_waiting_only_until_it_is_brought_up_to_date(
    linked, estate, monkeypatch
):
    monkeypatch.setattr(downlink_gap, "CONFIRM_AFTER", timedelta(seconds=1))
    ingest, agent = linked.ingest(), linked.agent(telemetry_every_s=1.0)
    try:
        (report_id,) = file_reports(linked, estate, 1)
        assert wait_until(lambda: _count(linked.box, outbox) == 0, WAIT)
        agent.stop()
        with writing(linked.hub) as connection:
            landlord = people.get_staff(connection, estate.staff["agent"])
            reports.move(connection, landlord, report_id, "acknowledged", "Bien reçu")
            reports.move(connection, landlord, report_id, "resolved", "Réparé")
            last = connection.execute(select(peers.c.sent_seq).where(peers.c.id == BOX_ID)).scalar()
        # The box's credentials, copied: "I have applied everything you sent".
        copied = Peer(linked.broker, BOX_ID, linked.box_settings["password"], tls=True)
        assert not copied.connect().is_failure
        forged = inbox.ack(BOX_ID, last).encode()
        assert not copied.publish(topics.up(BOX_ID), forged).is_failure
        copied.close()
        assert wait_until(lambda: _count(linked.hub, outbox) == 0, WAIT)
        agent = linked.agent(telemetry_every_s=1.0)

        def resolved_on_the_box() -> bool:
            with linked.box.connect() as connection:
                status = select(report_table.c.status).where(report_table.c.id == report_id)
                return connection.execute(status).scalar() == "resolved"

        assert wait_until(resolved_on_the_box, WAIT)
    finally:
        agent.stop()
        ingest.stop()
