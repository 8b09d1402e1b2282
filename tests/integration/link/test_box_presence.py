"""What the hub knows of a box from its agent alone: online with its version, its
telemetry, offline when it stops — the broker session that outlives the agent, and the
hub's hello that makes a box send again what an absent hub never got."""

from __future__ import annotations

import json
import time
import uuid
from datetime import date

from sqlalchemy import select

from core import __version__
from core.domain import access_codes, outbox, people, reports, side, works
from core.domain.clock import utcnow
from core.secrets import ensure_secrets
from core.storage.engine import writing
from core.storage.schema import boxes, works_notices
from core.storage.schema import outbox as outbox_table
from core.storage.schema import reports as report_table
from link import inbox, sending_window, settings, topics
from link.mqtt_link import MqttLink, wait_until
from tests.conftest import PIN
from tests.support.link_processes import link_processes
from tests.support.linked import BOX_ID

WAIT = 20.0


def _box_at_hub(linked) -> dict:
    with linked.hub.connect() as connection:
        return dict(connection.execute(select(boxes).where(boxes.c.id == BOX_ID)).mappings().one())


def _retained_status(linked) -> dict:
    """Read the box's status as a newcomer to the broker gets it: the retained message."""
    # A client of its own each time: a session kept from an earlier read could hand back
    # a message of then.
    access = settings.access(linked.hub_settings, f"hub-ingest-probe-{uuid.uuid4().hex[:8]}")
    probe = MqttLink(access, [topics.status(BOX_ID)])
    probe.start()
    try:
        batch = probe.take(1, wait=WAIT)
    finally:
        probe.stop()
    assert batch, "no retained status for the box"
    return json.loads(batch[0][1])["body"]


def test_the_hub_sees_the_box_online_with_its_version_and_telemetry_then_offline(linked, estate):
    ingest = linked.ingest()
    agent = linked.agent(telemetry_every_s=0.5)
    try:
        assert wait_until(lambda: _box_at_hub(linked)["online"], WAIT)
        assert _retained_status(linked) == {"online": True, "version": __version__}
        assert wait_until(lambda: (_box_at_hub(linked)["uptime_s"] or 0) >= 1, WAIT)
        first = _box_at_hub(linked)
        assert first["version"] == __version__
        assert first["disk_free_bytes"] > 0
        assert first["outbox_depth"] == 0

        with writing(linked.box) as connection:
            reports.file(
                connection, _tenant(connection, linked, estate), "noise", "hall", "La porte claque."
            )
        # Once the hub has the report, the next telemetry says when the box last synced.
        assert wait_until(lambda: _box_at_hub(linked)["last_sync_at"] is not None, WAIT)
        assert wait_until(lambda: _box_at_hub(linked)["uptime_s"] > first["uptime_s"], WAIT)
    finally:
        agent.stop()
    try:
        assert wait_until(lambda: not _box_at_hub(linked)["online"], WAIT)
        assert _retained_status(linked) == {"online": False, "version": __version__}
    finally:
        ingest.stop()


def test_what_the_hub_sends_while_the_agent_is_away_waits_in_its_broker_session(linked, estate):
    """The agent comes back with the same client id and without a clean start: the broker
    hands it what arrived meanwhile, with no hub process running to send it again."""
    ingest, agent = linked.ingest(), linked.agent()
    # Online at the hub means the agent had subscribed: it says so after subscribing.
    assert wait_until(lambda: _box_at_hub(linked)["online"], WAIT)
    agent.stop()
    ingest.stop()

    with writing(linked.hub) as connection:
        notice_id = works.announce(
            connection,
            "building",
            estate.building_a,
            "Ascenseur",
            "Hall",
            date.today(),
            date.today(),
        )
        rows = outbox.waiting(connection, BOX_ID)
    sender = MqttLink(settings.access(linked.hub_settings, "hub-ingest-probe"), [])
    sender.start()
    try:
        assert wait_until(sender.connected.is_set, WAIT)
        for row in rows:
            assert sender.publish(topics.down(BOX_ID), inbox.outgoing(BOX_ID, row))
    finally:
        sender.stop()

    agent = linked.agent()
    try:
        assert wait_until(lambda: _notice_on_box(linked, notice_id), WAIT), (
            "the broker did not keep the agent's session"
        )
    finally:
        agent.stop()


def _notice_on_box(linked, notice_id: str) -> bool:
    with linked.box.connect() as connection:
        return (
            connection.execute(
                select(works_notices.c.id).where(works_notices.c.id == notice_id)
            ).first()
            is not None
        )


def test_a_hub_ingest_coming_back_gets_at_once_what_the_box_sent_while_it_was_away(linked, estate):
    """The broker keeps nothing for an absent ingest: the box's report went nowhere. The
    ingest's hello on reconnecting has the box send it again at once, long before the
    box's own resend timer would."""
    ingest, agent = linked.ingest(), linked.agent()
    try:
        assert wait_until(lambda: _box_at_hub(linked)["online"], WAIT)
        ingest.stop()
        with writing(linked.box) as connection:
            tenant = _tenant(connection, linked, estate)
            report_id = reports.file(connection, tenant, "noise", "hall", "La porte claque.")
        assert wait_until(lambda: _sent_seconds_ago(linked) is not None, WAIT)
        # The box's own resend would come this long from now.
        timer_left = sending_window.RESEND_AFTER_S - _sent_seconds_ago(linked)
        started = time.monotonic()
        ingest = linked.ingest()
        assert wait_until(lambda: _report_at_hub(linked, report_id), WAIT)
        assert time.monotonic() - started < timer_left - 1, (
            "the report waited for the box's resend timer"
        )
    finally:
        agent.stop()
        ingest.stop()


def _tenant(connection, linked, estate) -> dict:
    pepper = ensure_secrets(linked.box_dir)["access_code_pepper"]
    code = access_codes.find(connection, pepper, estate.codes["A-01"])
    profile_id = people.create_profile(
        connection, code["id"], estate.dwellings["A-01"], "Odette", "fr", PIN, PIN
    )
    return people.get_profile(connection, profile_id)


def _sent_seconds_ago(linked) -> float | None:
    """How long ago the box last sent its oldest unacknowledged message, if it did."""
    with linked.box.connect() as connection:
        sent_at = connection.execute(
            select(outbox_table.c.sent_at)
            .where(outbox_table.c.peer_id == side.HUB)
            .order_by(outbox_table.c.seq)
        ).scalar()
    return None if sent_at is None else (utcnow() - sent_at).total_seconds()


def _report_at_hub(linked, report_id: str) -> bool:
    with linked.hub.connect() as connection:
        found = select(report_table.c.id).where(report_table.c.id == report_id)
        return connection.execute(found).first() is not None


def test_a_box_agent_killed_shows_offline_at_the_hub_then_online_again(linked, estate, tmp_path):
    """Killed, the agent cannot say goodbye: its last will, kept by the broker, does."""
    ingest = linked.ingest()
    try:
        with link_processes(linked, tmp_path / "logs") as processes:
            agent = processes.box_agent()
            assert wait_until(lambda: _box_at_hub(linked)["online"], WAIT)
            agent.kill()
            assert wait_until(lambda: not _box_at_hub(linked)["online"], WAIT), (
                "the hub still holds the killed box online"
            )
            assert _retained_status(linked)["online"] is False
            agent.start()
            assert wait_until(lambda: _box_at_hub(linked)["online"], WAIT)
    finally:
        ingest.stop()
