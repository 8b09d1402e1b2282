"""What cannot be applied is kept aside with its reason, and the link goes on behind it.

Payloads are published raw over the broker, as a faulty or hostile sender would, to the
link's real processes; cases the broker cannot produce (its ACL stops them) go straight
to the receiving functions. Each bad message lands in the receiver's ``quarantine`` with
a reason, is logged, crashes nothing, and the valid messages after it are still applied.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, func, select

from core.domain import access_codes, cursor, outbox, people, reports, side, works
from core.domain import report_status as rs
from core.domain.clock import new_id, utcnow
from core.secrets import ensure_secrets
from core.storage.engine import writing
from core.storage.schema import outbox as outbox_table
from core.storage.schema import quarantine, works_notices
from core.storage.schema import reports as report_table
from link import inbox, topics
from link.envelope import MAX_BYTES
from link.mqtt_link import wait_until
from tests.conftest import PIN
from tests.support.link_processes import LinkProcess, LinkProcesses, link_processes
from tests.support.linked import BOX_ID, Linked
from tests.support.mosquitto import Peer

WAIT = 60.0
OTHER_BOX = "box-autre"
# What the receivers write in their log for each message kept aside.
KEPT_ASIDE = "kept aside"


@pytest.fixture
def processes(linked: Linked, tmp_path: Path) -> Iterator[LinkProcesses]:
    print(f"logs of the link's processes: {tmp_path / 'logs'}")
    with link_processes(linked, tmp_path / "logs") as running:
        yield running


def _hub_ready(processes: LinkProcesses) -> LinkProcess:
    """Start an ingest process and wait for it, so that what the box has already queued
    finds the hub listening instead of waiting for its resend (10 s)."""
    ingest = processes.hub_ingest()
    processes.wait_connected()
    return ingest


def _count(engine, table, *where) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table).where(*where)).scalar()


def _reasons(engine) -> list[str]:
    with engine.connect() as connection:
        return list(
            connection.execute(select(quarantine.c.reason).order_by(quarantine.c.id)).scalars()
        )


def _tenant(linked: Linked, estate) -> dict[str, Any]:
    pepper = ensure_secrets(linked.box_dir)["access_code_pepper"]
    with writing(linked.box) as connection:
        code = access_codes.find(connection, pepper, estate.codes["A-01"])
        profile_id = people.create_profile(
            connection, code["id"], estate.dwellings["A-01"], "Odette", "fr", PIN, PIN
        )
        return people.get_profile(connection, profile_id)


def _file(linked: Linked, tenant: dict[str, Any], text: str) -> str:
    with writing(linked.box) as connection:
        return reports.file(connection, tenant, "noise", "hall", text)


def _tamper_newest(connection: Connection, change: Callable[[dict], None]) -> None:
    """Change the body of the newest outbox_table row, in the transaction that wrote it, so the
    sender only ever sends the changed one: a sender with a fault of its own."""
    row = connection.execute(
        select(outbox_table.c.peer_id, outbox_table.c.seq, outbox_table.c.body)
        .order_by(outbox_table.c.seq.desc())
        .limit(1)
    ).one()
    body = json.loads(row.body)
    change(body)
    connection.execute(
        outbox_table.update()
        .where(outbox_table.c.peer_id == row.peer_id, outbox_table.c.seq == row.seq)
        .values(body=json.dumps(body))
    )


def _rename_newest(connection: Connection, kind: str) -> None:
    """Give the newest outbox_table row a kind the receiver does not know, as a newer sender
    would, in the transaction that wrote it."""
    newest = select(func.max(outbox_table.c.seq)).scalar_subquery()
    connection.execute(outbox_table.update().where(outbox_table.c.seq == newest).values(kind=kind))


def _envelope(box: str, kind: str, body: dict[str, Any], seq: int | None = None, v=1) -> bytes:
    message: dict[str, Any] = {"v": v, "id": new_id(), "box": box, "kind": kind}
    if seq is not None:
        message["seq"] = seq
    message.update(at=utcnow().isoformat(), body=body)
    return json.dumps(message).encode()


def _unreadable(box: str, mismatch: str) -> list[tuple[bytes, str]]:
    """Unnumbered payloads for ``box`` that cannot be read, each with a word of its reason.

    Numbered ones are made by the sender itself (``_tamper_newest``): a raw one would
    have to guess the next number, and one already used is rightly taken for a copy.
    """
    return [
        (b'{"v": 1, "id": "abc", "box": ', "not JSON"),
        (_envelope(box, "ack", {"applied": 0}, v=2), "unknown protocol version 2"),
        (_envelope(box, "report.teleported", {}), "unknown kind 'report.teleported'"),
        # Well formed but for its size, which is under the broker's own limit (4 MiB).
        (_envelope(box, "ack", {"applied": 0, "padding": "x" * MAX_BYTES}), "over the"),
        (_envelope(OTHER_BOX, "ack", {"applied": 0}), mismatch),
    ]


def _publish_raw(
    linked: Linked, username: str, password: str, topic: str, payloads, tls: bool = False
) -> None:
    # On the hub's listener a second client may sign in as the hub beside the real
    # process, which keeps its own connection; on the boxes' listener (``tls``) a box
    # is always its own client id, so it takes the place of its agent.
    peer = Peer(linked.broker, username, password, client_id=f"{username}-raw", tls=tls)
    assert not peer.connect().is_failure
    try:
        for payload in payloads:
            assert not peer.publish(topic, payload).is_failure
    finally:
        peer.close()


def _assert_reasons(reasons: list[str], words: list[str]) -> None:
    assert len(reasons) == len(words), reasons
    for reason, word in zip(reasons, words, strict=True):
        assert word in reason, (word, reason)


def test_the_hub_keeps_aside_what_a_box_sends_wrong_and_goes_on(linked, estate, processes):
    tenant = _tenant(linked, estate)
    before = _file(linked, tenant, "Avant : la porte du hall claque.")
    with writing(linked.box) as connection:
        reports.file(connection, tenant, "noise", "hall", "Une catégorie inconnue")
        _tamper_newest(connection, lambda body: body["report"].update(category="volcano"))
    with writing(linked.box) as connection:
        reports.file(connection, tenant, "noise", "hall", "Un genre de message inconnu")
        _rename_newest(connection, "report.teleported")
    ingest = _hub_ready(processes)
    agent = processes.box_agent()
    assert wait_until(lambda: _count(linked.box, outbox_table) == 0, WAIT)

    unreadable = _unreadable(BOX_ID, "does not match the topic")
    # A tampered box: its own credentials, its own client id, its agent stopped.
    agent.terminate()
    _publish_raw(
        linked,
        BOX_ID,
        linked.box_settings["password"],
        topics.up(BOX_ID),
        [payload for payload, _word in unreadable],
        tls=True,
    )
    agent.start()
    after = _file(linked, tenant, "Après : toujours la porte du hall.")

    assert wait_until(lambda: _count(linked.box, outbox_table) == 0, WAIT)
    assert wait_until(lambda: _count(linked.hub, quarantine) == 7, WAIT), _reasons(linked.hub)
    _assert_reasons(
        _reasons(linked.hub),
        [
            "report.filed #2: report: category_unknown",
            "unreadable #3: unknown kind 'report.teleported'",
            *(word for _payload, word in unreadable),
        ],
    )
    with linked.hub.connect() as connection:
        assert set(connection.execute(select(report_table.c.id)).scalars()) == {before, after}
        # The two refused numbered messages used up their numbers; the raw ones had none.
        assert cursor.applied_seq(connection, BOX_ID) == 4
    assert ingest.running and agent.running
    assert ingest.log().count(KEPT_ASIDE) == 7
    assert "Traceback" not in ingest.log()


def test_a_box_keeps_aside_what_the_hub_sends_wrong_and_goes_on(linked, estate, processes):
    tenant = _tenant(linked, estate)
    report_id = _file(linked, tenant, "La lumière du hall reste éteinte.")
    ingest = _hub_ready(processes)
    agent = processes.box_agent()
    assert wait_until(lambda: _count(linked.hub, report_table) == 1, WAIT)
    with writing(linked.hub) as connection:
        member = people.get_staff(connection, estate.staff["agent"])
        reports.move(connection, member, report_id, rs.ACKNOWLEDGED, "Vu.")
        _tamper_newest(connection, lambda body: body.update(status="exploded"))
    with writing(linked.hub) as connection:
        reports.reply(connection, member, report_id, "Un genre de message inconnu")
        _rename_newest(connection, "report.teleported")
    assert wait_until(lambda: _count(linked.box, quarantine) == 2, WAIT)

    unreadable = _unreadable(BOX_ID, "is not this box")
    _publish_raw(
        linked,
        "hub",
        linked.hub_settings["password"],
        topics.down(BOX_ID),
        [payload for payload, _word in unreadable],
    )
    with writing(linked.hub) as connection:
        reports.move(connection, member, report_id, rs.RESOLVED, "Ampoule changée.")

    def resolved() -> bool:
        with linked.box.connect() as connection:
            return reports.get(connection, report_id)["status"] == rs.RESOLVED

    assert wait_until(resolved, WAIT)
    assert wait_until(lambda: _count(linked.box, quarantine) == 7, WAIT), _reasons(linked.box)
    _assert_reasons(
        _reasons(linked.box),
        [
            "report.status #1: status 'exploded' is unknown",
            "unreadable #2: unknown kind 'report.teleported'",
            *(word for _payload, word in unreadable),
        ],
    )
    with linked.box.connect() as connection:
        timeline = reports.timeline(connection, report_id)
    assert [entry["status"] for entry in timeline] == [rs.RECEIVED, rs.RESOLVED]
    assert wait_until(lambda: _count(linked.hub, outbox_table) == 0, WAIT)
    assert ingest.running and agent.running
    assert agent.log().count(KEPT_ASIDE) == 7
    assert "Traceback" not in agent.log()


def test_the_hub_refuses_what_the_broker_would_never_carry(linked, estate):
    """Topics outside the map, and telemetry that is not what it says, amid a valid report
    of the same batch; the broker's ACL keeps such messages from ever reaching the hub."""
    tenant = _tenant(linked, estate)
    report_id = _file(linked, tenant, "Le digicode ne marche plus.")
    with linked.box.connect() as connection:
        (row,) = outbox.waiting(connection, side.HUB)
    filed = inbox.outgoing(BOX_ID, row)
    telemetry = _envelope(
        BOX_ID, "telemetry", {"version": "1", "uptime_s": "long", "disk_free_bytes": 1}
    )
    receipt = inbox.at_hub_receive(
        linked.hub,
        [
            ("rc/v1/elsewhere", filed),
            (f"{topics.up(BOX_ID)}/more", filed),
            (topics.telemetry(BOX_ID), telemetry),
            (topics.up(BOX_ID), filed),
        ],
    )
    _assert_reasons(
        _reasons(linked.hub),
        ["not a topic of the protocol", "not a topic of the protocol", "uptime_s: an integer"],
    )
    with linked.hub.connect() as connection:
        assert reports.get(connection, report_id)["status"] == rs.RECEIVED
    assert [(topic, json.loads(payload)["body"]) for topic, payload in receipt.replies] == [
        (topics.down(BOX_ID), {"applied": 1})
    ]


def test_a_box_refuses_what_is_not_for_it_and_applies_the_rest(linked, estate):
    """A message on another box's branch, and a notice with a scope the protocol does not
    know, between valid works notices of the same batch."""
    starts = date.today()
    notice_ids = []
    for title in ("Ravalement", "Nulle part", "Ascenseur"):
        with writing(linked.hub) as connection:
            notice_ids.append(
                works.announce(
                    connection,
                    "building",
                    estate.building_a,
                    title,
                    "Façade",
                    starts,
                    starts + timedelta(3),
                )
            )
            if title == "Nulle part":
                _tamper_newest(connection, lambda body: body["notice"].update(scope_kind="galaxy"))
    with linked.hub.connect() as connection:
        rows = outbox.waiting(connection, BOX_ID)
    assert [row["seq"] for row in rows] == [1, 2, 3]
    payloads = [inbox.outgoing(BOX_ID, row) for row in rows]
    receipt = inbox.at_box_receive(
        linked.box,
        BOX_ID,
        [(topics.down(OTHER_BOX), payloads[0]), *((topics.down(BOX_ID), p) for p in payloads)],
    )
    _assert_reasons(
        _reasons(linked.box),
        [f"box '{BOX_ID}' is not this box", "works.announced #2: scope 'galaxy' is unknown"],
    )
    with linked.box.connect() as connection:
        on_box = set(connection.execute(select(works_notices.c.id)).scalars())
        assert cursor.applied_seq(connection, side.HUB) == 3
    assert on_box == {notice_ids[0], notice_ids[2]}
    assert [json.loads(payload)["body"] for _topic, payload in receipt.replies] == [{"applied": 3}]
