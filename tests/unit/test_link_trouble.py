"""Trouble on the boxes' links, as the fleet page shows it: counted for the whole fleet in
a few grouped queries, on SQLite and on PostgreSQL, and the boxes that are stuck."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from core.domain import (
    certificates,
    cursor,
    estate,
    fleet,
    link_trouble,
    outbox,
    public_names,
    side,
)
from core.domain.clock import utcnow
from core.domain.link_trouble import CERTIFICATE, CLEAR, CONFLICTS, DOWNLINK, HELD, STUCK_AFTER
from core.storage.schema import box_certificates, conflicts
from link import received, topics
from link.inbox import keep_aside
from tests.support.hub_messages import Statements

UP_A = topics.up("box-a")
LATER = STUCK_AFTER + timedelta(minutes=1)


@pytest.fixture
def hub(database):
    """A hub with box A, which serves a building, and box B, which serves none yet."""
    with database.begin() as connection:
        side.become_hub(connection)
        residence = estate.add_residence(connection, "Les Tilleuls", "La Viste", "Marseille")
        building = estate.add_building(connection, residence, "Bâtiment A")
        fleet.enrol(connection, "box-a", "A", [building])
        fleet.enrol(connection, "box-b", "B", [])
    return database, building


def _trouble(engine, at=None, box_ids=None) -> dict:
    with engine.connect() as connection:
        return link_trouble.of_fleet(connection, at or utcnow(), box_ids)


def _hold(connection, box_id: str, *numbers: int) -> None:
    for seq in numbers:
        assert cursor.claim_or_hold(connection, box_id, seq, UP_A, b"{}", 4000) == cursor.AHEAD


def test_a_box_with_nothing_wrong_has_no_trouble(hub):
    engine, _building = hub
    assert _trouble(engine) == {}
    with engine.connect() as connection:
        assert link_trouble.of_box(connection, "box-a", utcnow()) == CLEAR


def test_each_box_s_figures_are_counted_for_the_whole_fleet_in_five_statements(hub):
    engine, building = hub
    with engine.begin() as connection:
        keep_aside(connection, UP_A, "report.filed #3: unknown dwelling", b"{}", "box-a")
        keep_aside(connection, UP_A, "report.filed #4: body is not an object", b"{}", "box-a")
        keep_aside(connection, "elsewhere", "not a topic of the protocol", b"x")
        for seq, fingerprint in ((5, "f" * 32), (6, "e" * 32)):
            received.keep_conflict(connection, "box-a", seq, fingerprint, UP_A, b"{}")
        connection.execute(
            update(conflicts).where(conflicts.c.seq == 6).values(decided_at=utcnow())
        )
        _hold(connection, "box-a", 9, 8)
        outbox.tell_boxes_of(connection, [building], "news.published", {"id": "n1"})
    with engine.connect() as connection:
        connection.execute(select(1))
        statements = Statements(engine)
        trouble = link_trouble.of_fleet(connection, utcnow())
    assert statements.count == 5
    box_a = trouble["box-a"]
    assert (box_a.kept_aside, box_a.last_reason) == (2, "report.filed #4: body is not an object")
    assert (box_a.conflicts, box_a.held, box_a.for_the_box) == (1, 2, 1)
    assert box_a.held_since is not None and box_a.for_the_box_since is not None
    assert set(trouble) == {"box-a"}


def test_only_the_boxes_asked_for_are_counted(hub):
    engine, _building = hub
    with engine.begin() as connection:
        keep_aside(connection, UP_A, "report.filed #3: unknown dwelling", b"{}", "box-a")
    assert _trouble(engine, box_ids=["box-b"]) == {}
    assert _trouble(engine, box_ids=["box-a"])["box-a"].kept_aside == 1


def test_messages_held_for_minutes_make_a_box_stuck(hub):
    engine, _building = hub
    with engine.begin() as connection:
        _hold(connection, "box-a", 3)
    # Just held: its predecessor comes again within 10 s.
    assert _trouble(engine)["box-a"].stuck == ()
    assert _trouble(engine, utcnow() + LATER)["box-a"].stuck == (HELD,)


def test_a_conflict_waiting_for_a_decision_makes_a_box_stuck_until_decided(hub):
    engine, _building = hub
    with engine.begin() as connection:
        received.keep_conflict(connection, "box-a", 1, "f" * 32, UP_A, b"{}")
    assert _trouble(engine)["box-a"].stuck == (CONFLICTS,)
    with engine.begin() as connection:
        connection.execute(update(conflicts).values(decided_at=utcnow()))
    assert _trouble(engine) == {}


def test_messages_for_an_online_box_waiting_for_minutes_make_it_stuck(hub):
    engine, building = hub
    with engine.begin() as connection:
        outbox.tell_boxes_of(connection, [building], "news.published", {"id": "n1"})
    # The hub sends nothing to a box held offline: there waiting is normal.
    assert _trouble(engine, utcnow() + LATER)["box-a"].stuck == ()
    with engine.begin() as connection:
        fleet.record_status(connection, "box-a", True, "1.4.0", utcnow())
    assert _trouble(engine)["box-a"].stuck == ()
    assert _trouble(engine, utcnow() + LATER)["box-a"].stuck == (DOWNLINK,)


def test_messages_set_aside_alone_do_not_make_a_box_stuck(hub):
    engine, _building = hub
    with engine.begin() as connection:
        keep_aside(connection, UP_A, "report.filed #3: unknown dwelling", b"{}", "box-a")
    assert _trouble(engine, utcnow() + LATER)["box-a"].stuck == ()


def test_a_certificate_not_obtained_or_refused_makes_the_box_stuck_until_one_comes(hub):
    engine, _building = hub
    now = utcnow()
    with engine.begin() as connection:
        public_names.assign_all(connection, "micocouliers.bailleur.example")
        connection.execute(
            update(box_certificates)
            .where(box_certificates.c.box_id == "box-a")
            .values(request="-----BEGIN CERTIFICATE REQUEST-----", wanted=True)
        )
        retry_at = certificates.record_failure(
            connection, "box-a", "ConnectionError: refused", now, timedelta(seconds=10)
        )
        again_at = certificates.record_failure(
            connection, "box-a", "ConnectionError: refused", now, timedelta(seconds=10)
        )
        certificates.record_refusal(connection, "box-b", "for another key", now)
        due_now = certificates.due(connection, now, timedelta(days=30))
        due_later = certificates.due(connection, now + timedelta(seconds=20), timedelta(days=30))

    trouble = _trouble(engine)
    assert (retry_at - now, again_at - now) == (timedelta(seconds=10), timedelta(seconds=20))
    assert due_now == [] and [item.box_id for item in due_later] == ["box-a"]
    assert trouble["box-a"].stuck == (CERTIFICATE,)
    assert trouble["box-a"].certificate_error == "ConnectionError: refused"
    assert trouble["box-b"].stuck == (CERTIFICATE,)
    assert trouble["box-b"].certificate_refusal == "for another key"
