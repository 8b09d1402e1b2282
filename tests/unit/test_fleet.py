"""The hub's fleet: enrolling boxes, what their status and telemetry say, who is stale."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from core.domain import fleet, side
from core.domain.errors import DomainError
from core.storage.schema import peers

NOW = datetime(2026, 11, 23, 12, 0)
GIB = 1024**3


@pytest.fixture
def enrolled(engine, small_estate):
    with engine.begin() as connection:
        side.become_hub(connection)
        fleet.enrol(connection, "box-tilleuls-a", "Les Tilleuls A", [small_estate.building_a])
        fleet.enrol(connection, "box-tilleuls-b", "Les Tilleuls B", [small_estate.building_b])
    return small_estate


def _fleet(engine, now=NOW) -> dict[str, dict]:
    with engine.connect() as connection:
        return {box["id"]: box for box in fleet.list_fleet(connection, now)}


def test_an_enrolled_box_serves_its_buildings_and_is_a_peer_of_the_hub(engine, enrolled):
    with engine.connect() as connection:
        assert fleet.buildings_of(connection, "box-tilleuls-a") == [enrolled.building_a]
        assert fleet.buildings_of(connection, "box-unknown") == []
        assert set(connection.execute(select(peers.c.id)).scalars()) == {
            "box-tilleuls-a",
            "box-tilleuls-b",
        }
    box = _fleet(engine)["box-tilleuls-a"]
    assert box["label"] == "Les Tilleuls A"
    assert box["buildings"] == [{"id": enrolled.building_a, "name": "Bâtiment A"}]
    assert (box["online"], box["stale"], box["last_seen_at"], box["version"]) == (
        False,
        False,
        None,
        None,
    )


def test_status_and_telemetry_describe_the_box(engine, enrolled):
    synced = NOW - timedelta(seconds=30)
    with engine.begin() as connection:
        assert fleet.record_status(connection, "box-tilleuls-a", True, "1.4.0", NOW)
        telemetry = fleet.telemetry_change(NOW, "1.4.1", 7200, 12 * GIB, 3, synced)
        assert fleet.record(connection, "box-tilleuls-a", telemetry)
    box = _fleet(engine)["box-tilleuls-a"]
    assert box["online"] is True
    assert (box["version"], box["uptime_s"], box["disk_free_bytes"]) == ("1.4.1", 7200, 12 * GIB)
    assert (box["outbox_depth"], box["last_sync_at"], box["last_seen_at"]) == (3, synced, NOW)


def test_the_broker_saying_a_box_dropped_keeps_when_it_was_last_seen(engine, enrolled):
    with engine.begin() as connection:
        fleet.record_status(connection, "box-tilleuls-a", True, "1.4.0", NOW)
        fleet.record_status(connection, "box-tilleuls-a", False, None, NOW + timedelta(hours=1))
    box = _fleet(engine)["box-tilleuls-a"]
    assert (box["online"], box["last_seen_at"], box["version"]) == (False, NOW, "1.4.0")


def test_last_seen_only_moves_forward_when_messages_arrive_out_of_order(engine, enrolled):
    with engine.begin() as connection:
        fleet.record_seen(connection, "box-tilleuls-a", NOW)
        fleet.record_seen(connection, "box-tilleuls-a", NOW - timedelta(minutes=5))
        telemetry = fleet.telemetry_change(NOW - timedelta(minutes=1), None, 60, GIB, 0, None)
        fleet.record(connection, "box-tilleuls-a", telemetry)
    assert _fleet(engine)["box-tilleuls-a"]["last_seen_at"] == NOW


def test_an_unknown_box_changes_nothing(engine, enrolled):
    with engine.begin() as connection:
        assert not fleet.record_status(connection, "box-nowhere", True, "1.0", NOW)
        assert not fleet.record_seen(connection, "box-nowhere", NOW)
        telemetry = fleet.telemetry_change(NOW, "1.0", 1, 1, 0, None)
        assert not fleet.record(connection, "box-nowhere", telemetry)
    assert set(_fleet(engine)) == {"box-tilleuls-a", "box-tilleuls-b"}


def test_a_box_online_but_silent_for_more_than_three_minutes_is_stale(engine, enrolled):
    with engine.begin() as connection:
        fleet.record_status(connection, "box-tilleuls-a", True, "1.4.0", NOW)
        fleet.record_status(connection, "box-tilleuls-b", False, None, NOW)
    assert not _fleet(engine, NOW + timedelta(minutes=3))["box-tilleuls-a"]["stale"]
    later = _fleet(engine, NOW + timedelta(minutes=3, seconds=1))
    assert later["box-tilleuls-a"]["stale"]
    # Offline is already what the operator needs to know.
    assert not later["box-tilleuls-b"]["stale"]


def test_offline_boxes_come_first_then_stale_ones_then_by_label(engine, enrolled):
    with engine.begin() as connection:
        fleet.enrol(connection, "box-micocouliers", "Les Micocouliers", [])
        fleet.enrol(connection, "box-aubepines", "Les Aubépines", [])
        fleet.record_status(connection, "box-tilleuls-a", True, "1.4.0", NOW)
        fleet.record_status(connection, "box-micocouliers", True, "1.4.0", NOW)
        fleet.record_status(connection, "box-aubepines", True, "1.4.0", NOW - timedelta(hours=1))
    with engine.connect() as connection:
        order = [box["id"] for box in fleet.list_fleet(connection, NOW)]
    assert order == ["box-tilleuls-b", "box-aubepines", "box-micocouliers", "box-tilleuls-a"]


def test_a_box_wrongly_marked_offline_is_online_again_when_it_next_speaks(engine, enrolled):
    with engine.begin() as connection:
        fleet.record_status(connection, "box-tilleuls-a", True, "1.4.0", NOW)
        # The broker's last will from the connection before, applied late.
        fleet.record_status(connection, "box-tilleuls-a", False, None, NOW)
    assert _fleet(engine)["box-tilleuls-a"]["online"] is False
    with engine.begin() as connection:
        fleet.record_seen(connection, "box-tilleuls-a", NOW + timedelta(seconds=5))
    assert _fleet(engine)["box-tilleuls-a"]["online"] is True


def test_a_building_already_served_by_a_box_is_refused_to_another(engine, enrolled):
    with pytest.raises(DomainError) as refused, engine.begin() as connection:
        fleet.enrol(connection, "box-intrus", "Intrus", [enrolled.building_a])
    assert refused.value.code == "building_served"
    assert "box-tilleuls-a" in str(refused.value)
