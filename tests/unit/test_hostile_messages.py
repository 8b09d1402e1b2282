"""Whatever one box sends, the hub keeps applying the other boxes' messages, at their pace.

Each case is a payload someone holding box A's broker credentials could publish on box
A's own topics. After it, box B's next report must be applied and acknowledged, and the
payload kept aside once with its reason: never a crash, never thousands of rows.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from core.domain import outbox, side
from core.storage.schema import conflicts, held, peers, quarantine, reports
from link import inbox, received, topics
from link.inbox import at_box_receive, at_hub_receive
from link.set_aside_budget import Budget
from tests.support import hub_messages as sent

UP_A, UP_B = topics.up("box-a"), topics.up("box-b")


def _report(place, letter: str, seq: int) -> bytes:
    """Box A's or box B's next report, from the first dwelling of its building."""
    building, reference = getattr(place, f"building_{letter}"), f"{letter.upper()}-01"
    dwelling = sent.dwelling(building, reference, place.dwellings[reference])
    return sent.filed(f"box-{letter}", building, dwelling, seq)


def _with(payload: bytes, **fields) -> bytes:
    message = json.loads(payload)
    message.update(fields)
    return json.dumps(message, separators=(",", ":")).encode()


def _reasons(engine) -> list[str]:
    with engine.connect() as connection:
        return list(
            connection.execute(select(quarantine.c.reason).order_by(quarantine.c.id)).scalars()
        )


def _hostile(place) -> dict[str, tuple[str, bytes]]:
    """Each attack, as (topic, payload)."""
    report = _report(place, "a", 1)
    ack = sent.envelope("box-a", "ack", {"applied": 1})
    return {
        "seq of 2**63": (UP_A, _with(report, seq=2**63)),
        "seq of 2**31": (UP_A, _with(report, seq=2**31)),
        "ack of 2**63": (UP_A, _with(ack, body={"applied": 2**63})),
        "ack below zero": (UP_A, _with(ack, body={"applied": -5})),
        "hello of 2**63": (UP_A, _with(ack, kind="hello", body={"applied": 2**63})),
        "telemetry of 2**70": (
            topics.telemetry("box-a"),
            _with(sent.telemetry("box-a", 1), body={"uptime_s": 2**70}),
        ),
        "array 100,000 deep": (UP_A, b"[" * 100_000 + b"]" * 100_000),
        "object 100,000 deep": (UP_A, b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
        "body 500 deep": (UP_A, _with(report, body={"report": json.loads("[" * 500 + "]" * 500)})),
        "number of 5,000 digits": (
            UP_A,
            _with(report, seq=1).replace(b'"seq":1', b'"seq":' + b"9" * 5000),
        ),
        "NaN": (UP_A, _with(report).replace(b'"seq":1', b'"seq":NaN')),
        "Infinity in a body": (UP_A, _with(ack).replace(b'"applied":1', b'"applied":Infinity')),
        "version as a float": (UP_A, _with(report, v=1.0)),
        "version as true": (UP_A, _with(report, v=True)),
        "not UTF-8": (UP_A, b'{"v":1,"box":"box-a","kind":"\xff\xfe"}'),
        "lone surrogate": (UP_A, _with(report).replace(b'"box-a"', b'"\\ud800"')),
        "a list of strings as body": (UP_A, _with(report, body=["x"] * 10)),
        "a string for every field": (UP_A, _with(report, id=1, kind=["report.filed"])),
        "status of another shape": (topics.status("box-a"), b'{"v":1,"online":"yes"}'),
        "empty": (UP_A, b""),
        "a topic outside the map": ("rc/v1/box/box-a/up/extra", report),
    }


CASES = [
    "seq of 2**63",
    "seq of 2**31",
    "ack of 2**63",
    "ack below zero",
    "hello of 2**63",
    "telemetry of 2**70",
    "array 100,000 deep",
    "object 100,000 deep",
    "body 500 deep",
    "number of 5,000 digits",
    "NaN",
    "Infinity in a body",
    "version as a float",
    "version as true",
    "not UTF-8",
    "lone surrogate",
    "a list of strings as body",
    "a string for every field",
    "status of another shape",
    "empty",
    "a topic outside the map",
]


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_message_is_kept_aside_and_the_other_box_goes_on(
    engine, hub_with_two_boxes, case
):
    place = hub_with_two_boxes
    attack = _hostile(place)[case]
    receipt = at_hub_receive(engine, [attack, (UP_B, _report(place, "b", 1))])
    assert (topics.down("box-b"), 1) in sent.acked(receipt)
    assert sent.count(engine, reports) == 1
    assert len(_reasons(engine)) == 1
    # Again, alone: the same answer (a numbered message is a copy the second time).
    at_hub_receive(engine, [attack])
    assert sent.count(engine, reports) == 1 and len(_reasons(engine)) in (1, 2)
    assert sent.acked(at_hub_receive(engine, [(UP_B, _report(place, "b", 2))])) == [
        (topics.down("box-b"), 2)
    ]


def test_every_case_is_in_the_corpus(hub_with_two_boxes):
    assert sorted(_hostile(hub_with_two_boxes)) == sorted(CASES)


def test_a_version_given_as_a_float_is_not_version_one(engine, hub_with_two_boxes):
    at_hub_receive(engine, [(UP_A, _with(_report(hub_with_two_boxes, "a", 1), v=1.0))])
    assert sent.count(engine, reports) == 0
    assert "unknown protocol version" in _reasons(engine)[0]


def test_a_bundle_of_short_lines_is_kept_aside_once(engine, hub_with_two_boxes):
    place = hub_with_two_boxes
    lines = b"x\n" * (128 * 1024)
    receipt = at_hub_receive(engine, [(UP_A, lines), (UP_B, _report(place, "b", 1))])
    assert sent.acked(receipt) == [(topics.down("box-b"), 1)]
    reasons = _reasons(engine)
    assert len(reasons) == 1 and "bundle" in reasons[0]


def test_a_bundle_of_more_envelopes_than_a_sender_joins_is_kept_aside_whole(
    engine, hub_with_two_boxes
):
    place = hub_with_two_boxes
    bundle = b"\n".join(_report(place, "a", seq) for seq in range(1, 102))
    at_hub_receive(engine, [(UP_A, bundle)])
    assert sent.count(engine, reports) == 0
    assert len(_reasons(engine)) == 1


def test_a_message_numbered_beyond_the_window_is_kept_aside_not_held(engine, hub_with_two_boxes):
    place = hub_with_two_boxes
    far = [(UP_A, _report(place, "a", seq)) for seq in (10**6, 2**31 - 1)]
    assert at_hub_receive(engine, far).replies == []
    assert sent.count(engine, held) == 0
    assert all("ahead" in reason for reason in _reasons(engine))
    # The box's own next message still goes through.
    assert sent.acked(at_hub_receive(engine, [(UP_A, _report(place, "a", 1))])) == [
        (topics.down("box-a"), 1)
    ]


def test_messages_held_for_one_box_do_not_slow_the_others(engine, hub_with_two_boxes):
    place = hub_with_two_boxes
    at_hub_receive(engine, [(UP_A, _report(place, "a", seq)) for seq in (3, 4, 5)])
    assert sent.count(engine, held) == 3
    batch = [(UP_B, _report(place, "b", seq)) for seq in range(1, 101)]
    statements = sent.Statements(engine)
    assert sent.acked(at_hub_receive(engine, batch)) == [(topics.down("box-b"), 100)]
    # Grouped writes: a handful of statements, not several per report.
    assert statements.count < 30


def test_junk_from_one_box_does_not_slow_the_others(engine, hub_with_two_boxes):
    place = hub_with_two_boxes
    batch = [(UP_A, b"junk %d" % n) for n in range(50)]
    batch += [(UP_B, _report(place, "b", seq)) for seq in range(1, 101)]
    statements = sent.Statements(engine)
    assert sent.acked(at_hub_receive(engine, batch)) == [(topics.down("box-b"), 100)]
    assert statements.count < 30 + 50 * 5


def _conflicts(engine) -> list[dict]:
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(select(conflicts)).mappings()]


def _disputed(receipt) -> list[list[int]]:
    return [json.loads(payload)["body"].get("disputed", []) for _topic, payload in receipt.replies]


def test_junk_that_took_a_number_gives_way_to_the_box_s_real_message(engine, hub_with_two_boxes):
    place = hub_with_two_boxes
    real = _report(place, "a", 1)
    at_hub_receive(engine, [(UP_A, _with(real, body=["junk"]))])
    assert sent.count(engine, reports) == 0
    assert sent.acked(at_hub_receive(engine, [(UP_A, real)])) == [(topics.down("box-a"), 1)]
    assert sent.count(engine, reports) == 1 and _conflicts(engine) == []
    # Its copies are copies again.
    at_hub_receive(engine, [(UP_A, real), (UP_A, real)])
    assert sent.count(engine, reports) == 1 and _conflicts(engine) == []


def test_a_second_message_under_a_number_applied_is_kept_for_an_operator(
    engine, hub_with_two_boxes
):
    place = hub_with_two_boxes
    forged, real = _report(place, "a", 1), _report(place, "a", 1)
    at_hub_receive(engine, [(UP_A, forged)])
    receipt = at_hub_receive(engine, [(UP_A, real), (UP_A, _report(place, "a", 2))])
    # Applied once, the rest acknowledged, the real one's number named: the box keeps it.
    assert sent.acked(receipt) == [(topics.down("box-a"), 2)]
    assert _disputed(receipt) == [[1]]
    assert sent.count(engine, reports) == 2
    kept = _conflicts(engine)
    assert [(row["peer_id"], row["seq"], row["payload"]) for row in kept] == [("box-a", 1, real)]
    # Sent again and again by the box meanwhile: still one conflict, still disputed.
    receipt = at_hub_receive(engine, [(UP_A, real), (UP_A, real)])
    assert _disputed(receipt) == [[1]] and len(_conflicts(engine)) == 1


def test_the_grouped_writes_tell_a_second_message_from_a_copy(engine, hub_with_two_boxes):
    place = hub_with_two_boxes
    first = [(UP_B, _report(place, "b", seq)) for seq in (1, 2, 3)]
    at_hub_receive(engine, first)
    other = (UP_B, _report(place, "b", 2))
    receipt = at_hub_receive(engine, [*first, other, (UP_B, _report(place, "b", 4))])
    assert sent.acked(receipt) == [(topics.down("box-b"), 4)]
    assert _disputed(receipt) == [[2]]
    assert sent.count(engine, reports) == 4


def test_a_box_keeps_what_the_hub_names_disputed(engine, small_estate):
    with engine.begin() as connection:
        side.become_box(connection, "box-a")
        for number in range(1, 4):
            outbox.tell_hub(connection, "report.filed", {"n": number})
    answer = inbox.ack("box-a", 3, [2]).encode()
    at_box_receive(engine, "box-a", [(topics.down("box-a"), answer)])
    with engine.connect() as connection:
        assert [row["seq"] for row in outbox.waiting(connection, side.HUB)] == [2]
    at_box_receive(engine, "box-a", [(topics.down("box-a"), inbox.ack("box-a", 3).encode())])
    with engine.connect() as connection:
        assert outbox.waiting(connection, side.HUB) == []


def test_what_came_under_numbers_long_applied_is_forgotten(engine, hub_with_two_boxes):
    place = hub_with_two_boxes
    at_hub_receive(engine, [(UP_B, _report(place, "b", seq)) for seq in (1, 2)])
    with engine.begin() as connection:
        connection.execute(
            update(peers).where(peers.c.id == "box-b").values(applied_seq=received.REMEMBERED + 1)
        )
        assert received.forget_old(connection) == 1
        assert list(received.recorded(connection, [("box-b", 1), ("box-b", 2)])) == [("box-b", 2)]


def test_a_box_flooding_junk_has_only_so_many_messages_stored_aside_a_minute(
    engine, hub_with_two_boxes
):
    place = hub_with_two_boxes
    now = [0.0]
    budget = Budget(per_minute=20, clock=lambda: now[0])
    junk = [(UP_A, b"junk %d" % n) for n in range(200)]
    receipt = at_hub_receive(engine, [*junk, (UP_B, _report(place, "b", 1))], budget)
    assert sent.acked(receipt) == [(topics.down("box-b"), 1)]
    assert len(_reasons(engine)) == 20
    # A minute later: the count of those not stored, then the next ones.
    now[0] = 61.0
    at_hub_receive(engine, [(UP_A, b"more junk")], budget)
    reasons = _reasons(engine)
    assert len(reasons) == 22 and "180 more messages" in reasons[20]
    # Box B's own refusals are stored: the budget is one box's.
    at_hub_receive(engine, [(UP_B, b"junk of b")], budget)
    assert len(_reasons(engine)) == 23
