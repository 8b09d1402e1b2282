"""A box whose cursor shows numbers the hub no longer has is brought up to date.

A forged acknowledgement from box A's credentials claims the hub's last number: the hub
forgets its messages to box A, which then waits for numbers that no longer exist. The
box's own reports of its cursor (hello, telemetry) show the gap; seen twice, the hub
queues box A's state again and tells the box to resume after the lost numbers.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.domain import cursor, people, reports, side
from core.storage.schema import boxes, held, outbox, peers
from link import downlink_gap, inbox, topics
from link.inbox import at_box_receive, at_hub_receive
from tests.support import hub_messages as sent

UP_A, DOWN_A = topics.up("box-a"), topics.down("box-a")


@pytest.fixture
def answered(engine, hub_with_two_boxes) -> str:
    """A report of box A answered twice by the landlord's agent: messages 1 and 2."""
    place = hub_with_two_boxes
    report = sent.filed(
        "box-a",
        place.building_a,
        sent.dwelling(place.building_a, "A-01", place.dwellings["A-01"]),
        1,
    )
    at_hub_receive(engine, [(UP_A, report)])
    report_id = json.loads(report)["body"]["report"]["id"]
    with engine.begin() as connection:
        agent = people.get_staff(connection, place.staff["agent"])
        reports.move(connection, agent, report_id, "acknowledged", "Bien reçu")
        reports.move(connection, agent, report_id, "resolved", "Réparé")
    return report_id


def _forged_ack(engine, applied: int) -> None:
    at_hub_receive(engine, [(UP_A, sent.envelope("box-a", "ack", {"applied": applied}))])


def _hello(applied: int) -> tuple[str, bytes]:
    return UP_A, inbox.hello("box-a", applied, "1.4.0").encode()


def _telemetry(applied: int) -> tuple[str, bytes]:
    body = json.loads(sent.telemetry("box-a", 60))
    body["body"]["applied"] = applied
    return topics.telemetry("box-a"), json.dumps(body).encode()


def _resumes(receipt) -> list[int]:
    told = [json.loads(payload)["body"] for topic, payload in receipt.replies if topic == DOWN_A]
    return [body["resume"] for body in told if "resume" in body]


def _pending(engine) -> list[tuple[int, str]]:
    with engine.connect() as connection:
        return list(
            connection.execute(
                select(outbox.c.seq, outbox.c.kind)
                .where(outbox.c.peer_id == "box-a")
                .order_by(outbox.c.seq)
            ).all()
        )


def test_a_forged_acknowledgement_makes_the_hub_forget_the_box_s_messages(engine, answered):
    assert [kind for _seq, kind in _pending(engine)] == ["report.status", "report.status"]
    _forged_ack(engine, 2)
    assert _pending(engine) == []


def test_a_gap_seen_twice_brings_the_box_up_to_date(engine, answered, monkeypatch):
    _forged_ack(engine, 2)
    assert _resumes(at_hub_receive(engine, [_hello(0)])) == []
    monkeypatch.setattr(downlink_gap, "CONFIRM_AFTER", timedelta(0))
    receipt = at_hub_receive(engine, [_telemetry(0)])
    assert _resumes(receipt) == [3]
    # The state of the box's reports comes again after the lost numbers.
    pending = _pending(engine)
    assert pending and all(seq >= 3 for seq, _kind in pending)
    assert [kind for _seq, kind in pending].count("report.status") >= 2
    with engine.connect() as connection:
        assert connection.execute(
            select(boxes.c.brought_up_to_date_at).where(boxes.c.id == "box-a")
        ).scalar()
    # Until the box has resumed, each report of its cursor tells it again; then no more.
    assert _resumes(at_hub_receive(engine, [_telemetry(0)])) == [3]
    assert _resumes(at_hub_receive(engine, [_telemetry(2)])) == []
    with engine.connect() as connection:
        assert (
            connection.execute(select(peers.c.resume_from).where(peers.c.id == "box-a")).scalar()
            is None
        )


def test_a_late_report_of_the_cursor_alone_brings_nothing(engine, answered, monkeypatch):
    # One ingest applied the box's acknowledgement of 2 before another applied its older
    # telemetry saying 0: a gap seen once, then gone.
    _forged_ack(engine, 2)
    at_hub_receive(engine, [_telemetry(0)])
    at_hub_receive(engine, [_telemetry(2)])
    monkeypatch.setattr(downlink_gap, "CONFIRM_AFTER", timedelta(0))
    assert _resumes(at_hub_receive(engine, [_telemetry(2)])) == []
    assert _pending(engine) == []


def test_a_box_is_brought_up_to_date_at_most_every_ten_minutes(engine, answered, monkeypatch):
    monkeypatch.setattr(downlink_gap, "CONFIRM_AFTER", timedelta(0))
    _forged_ack(engine, 2)
    at_hub_receive(engine, [_telemetry(0)])
    assert _resumes(at_hub_receive(engine, [_telemetry(0)])) == [3]
    at_hub_receive(engine, [_telemetry(2)])
    sent_after_first = len(_pending(engine))
    _forged_ack(engine, 2 + sent_after_first)
    at_hub_receive(engine, [_telemetry(2)])
    assert _resumes(at_hub_receive(engine, [_telemetry(2)])) == []
    assert _pending(engine) == []


def test_a_box_told_to_resume_skips_the_lost_numbers_and_applies_what_follows(engine, small_estate):
    waiting = {
        seq: sent.envelope("box-a", "news.withdrawn", {"news_id": f"n{seq}"}, seq)
        for seq in (2, 3, 5)
    }
    with engine.begin() as connection:
        side.become_box(connection, "box-a")
        for seq, payload in waiting.items():
            cursor.claim_or_hold(connection, side.HUB, seq, topics.down("box-a"), payload, 10)
    resume = inbox.hub_hello("box-a", 0, 5).encode()
    receipt = at_box_receive(engine, "box-a", [(topics.down("box-a"), resume)])
    with engine.connect() as connection:
        # 2 and 3 will never be applied; 5, held, was applied at once.
        assert cursor.applied_seq(connection, side.HUB) == 5
        assert connection.execute(select(held.c.seq)).scalars().all() == []
    assert [json.loads(payload)["body"]["applied"] for _t, payload in receipt.replies] == [5]
