"""The hub applies what a box sends in order and once; what it cannot apply it keeps aside."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from core.domain import fleet, side
from core.domain.clock import new_id
from core.storage.schema import held, quarantine, reports
from link import topics
from link.envelope import Envelope
from link.inbox import at_hub_receive


@pytest.fixture
def hub(engine, small_estate):
    with engine.begin() as connection:
        side.become_hub(connection)
        fleet.enrol(
            connection, "box-a", "Tilleuls", [small_estate.building_a, small_estate.building_b]
        )
    return small_estate


def _filed(place, seq: int, number: int, category: str = "lift", box: str = "box-a") -> bytes:
    body = {
        "report": {
            "id": new_id(),
            "number": number,
            "building_id": place.building_a,
            "category": category,
            "location": "lift",
            "description": "Bloqué",
            "created_at": "2026-12-01T10:00:00",
        },
        "dwelling": {
            "id": place.dwellings["A-01"],
            "building_id": place.building_a,
            "reference": "A-01",
            "staircase": "1",
            "floor": 1,
        },
        "photo_ids": [],
    }
    return Envelope(new_id(), box, "report.filed", "2026-12-01T10:00:00", body, seq).encode()


def _count(engine, table) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar()


def _acked(receipt) -> list[tuple[str, int]]:
    return [(topic, json.loads(payload)["body"]["applied"]) for topic, payload in receipt.replies]


UP = topics.up("box-a")


def test_a_copy_is_applied_once_and_acknowledged_again(engine, hub):
    message = _filed(hub, 1, 1)
    assert _acked(at_hub_receive(engine, [(UP, message), (UP, message)])) == [
        (topics.down("box-a"), 1)
    ]
    assert _acked(at_hub_receive(engine, [(UP, message)])) == [(topics.down("box-a"), 1)]
    assert _count(engine, reports) == 1


def test_a_message_ahead_of_its_turn_is_held_and_applied_after_the_one_before(engine, hub):
    first, second, third = _filed(hub, 1, 1), _filed(hub, 2, 2), _filed(hub, 3, 3)
    assert at_hub_receive(engine, [(UP, third), (UP, second), (UP, third)]).replies == []
    assert _count(engine, reports) == 0 and _count(engine, held) == 2
    assert _acked(at_hub_receive(engine, [(UP, first)])) == [(topics.down("box-a"), 3)]
    assert _count(engine, reports) == 3 and _count(engine, held) == 0
    at_hub_receive(engine, [(UP, first), (UP, second)])
    assert _count(engine, reports) == 3


def test_a_message_the_rules_refuse_is_kept_aside_and_does_not_block_the_next(engine, hub):
    replies = at_hub_receive(
        engine, [(UP, _filed(hub, 1, 1, category="aliens")), (UP, _filed(hub, 2, 2))]
    )
    assert _acked(replies) == [(topics.down("box-a"), 2)]
    assert _count(engine, reports) == 1
    with engine.connect() as connection:
        kept = connection.execute(select(quarantine)).mappings().one()
    assert kept["topic"] == UP and "category_unknown" in kept["reason"]


def test_a_box_speaking_on_another_boxs_topic_is_kept_aside(engine, hub):
    with engine.begin() as connection:
        fleet.enrol(connection, "box-b", "Autre", [])
    assert _acked(at_hub_receive(engine, [(topics.up("box-b"), _filed(hub, 1, 1))])) == []
    assert _count(engine, reports) == 0
    with engine.connect() as connection:
        assert "does not match" in connection.execute(select(quarantine.c.reason)).scalar()


def test_a_box_the_hub_does_not_know_is_kept_aside(engine, hub):
    message = _filed(hub, 1, 1, box="box-z")
    assert _acked(at_hub_receive(engine, [(topics.up("box-z"), message)])) == []
    assert _count(engine, quarantine) == 1 and _count(engine, reports) == 0


def test_a_report_for_a_building_of_another_box_is_refused(engine, hub):
    with engine.begin() as connection:
        fleet.enrol(connection, "box-b", "Autre", [])
    message = _filed(hub, 1, 1, box="box-b")
    assert _acked(at_hub_receive(engine, [(topics.up("box-b"), message)])) == [
        (topics.down("box-b"), 1)
    ]
    assert _count(engine, reports) == 0
    with engine.connect() as connection:
        assert "not served by box box-b" in connection.execute(select(quarantine.c.reason)).scalar()


def test_an_unreadable_message_that_says_its_number_does_not_block_the_next(engine, hub):
    newer = json.loads(_filed(hub, 1, 1))
    newer["v"] = 2
    receipt = at_hub_receive(engine, [(UP, json.dumps(newer).encode()), (UP, _filed(hub, 2, 2))])
    assert _acked(receipt) == [(topics.down("box-a"), 2)]
    assert _count(engine, reports) == 1
    with engine.connect() as connection:
        assert (
            "unknown protocol version 2" in connection.execute(select(quarantine.c.reason)).scalar()
        )


def test_dwellings_of_two_buildings_may_share_a_reference_at_the_hub(engine, hub):
    other = json.loads(_filed(hub, 2, 2))
    other["body"]["report"]["building_id"] = hub.building_b
    other["body"]["dwelling"].update(id=new_id(), building_id=hub.building_b)
    assert _acked(
        at_hub_receive(engine, [(UP, _filed(hub, 1, 1)), (UP, json.dumps(other).encode())])
    ) == [(topics.down("box-a"), 2)]
    assert _count(engine, reports) == 2 and _count(engine, quarantine) == 0
