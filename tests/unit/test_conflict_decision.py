"""An operator decides a conflict: the box's message applied or set aside, once, in the audit
log, and its number no longer disputed; a message that cannot be applied changes nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from core.domain import audit
from core.domain.errors import DomainError, NotFound
from core.storage.schema import conflicts, reports
from link import conflict_decision, received
from link.conflict_decision import APPLY, SET_ASIDE, decide
from link.inbox import at_hub_receive
from tests.support import hub_messages as sent
from tests.support.conflicts import UP_A, report_of_box_a
from tests.support.conflicts import conflict as made


@pytest.fixture
def conflict(engine, hub_with_two_boxes):
    """Return how to make a conflict under box A's #1."""
    return lambda second, first=None: made(engine, hub_with_two_boxes, second, first)


def _decide(engine, conflict_id: int, decision: str, operator: str):
    with engine.begin() as connection:
        return decide(connection, conflict_id, decision, operator)


def _disputed(engine) -> dict:
    with engine.connect() as connection:
        return received.disputed(connection, ["box-a"])


def _the_conflict(engine) -> dict:
    with engine.connect() as connection:
        return dict(connection.execute(select(conflicts)).mappings().one())


def _actions(engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return [(entry["action"], entry["target"]) for entry in audit.recent(connection)]


def test_applying_the_box_s_message_files_its_report_and_ends_the_dispute(
    engine, hub_with_two_boxes, conflict
):
    operator = hub_with_two_boxes.staff["operateur"]
    real = report_of_box_a(hub_with_two_boxes, number=2)
    conflict_id = conflict(real)
    assert _disputed(engine) == {"box-a": [1]}
    outcome = _decide(engine, conflict_id, APPLY, operator)
    assert (outcome.box_id, outcome.seq, outcome.refusal) == ("box-a", 1, None)
    assert sent.count(engine, reports) == 2
    decided = _the_conflict(engine)
    assert (decided["decision"], decided["decided_by"]) == (APPLY, operator)
    assert decided["decided_at"] is not None
    assert _disputed(engine) == {}
    assert _actions(engine) == [("conflict.apply", "box:box-a")]
    # The box's copy, sent again, is acknowledged without a dispute: the box deletes it.
    receipt = at_hub_receive(engine, [(UP_A, real)])
    assert [json.loads(payload)["body"] for _topic, payload in receipt.replies] == [{"applied": 1}]
    assert sent.count(engine, reports) == 2


def test_setting_it_aside_applies_nothing_and_ends_the_dispute(
    engine, hub_with_two_boxes, conflict
):
    operator = hub_with_two_boxes.staff["operateur"]
    conflict_id = conflict(report_of_box_a(hub_with_two_boxes))
    outcome = _decide(engine, conflict_id, SET_ASIDE, operator)
    assert outcome.refusal is None
    assert sent.count(engine, reports) == 1
    assert _the_conflict(engine)["decision"] == SET_ASIDE
    assert _disputed(engine) == {}
    assert _actions(engine) == [("conflict.set_aside", "box:box-a")]


@pytest.mark.parametrize(
    ("second", "reason"),
    [
        ("another building", "not served by box box-a"),
        ("the same report id", "UNIQUE constraint failed"),
        ("junk", "unknown protocol version"),
    ],
)
def test_a_message_that_cannot_be_applied_leaves_the_conflict_waiting(
    engine, hub_with_two_boxes, conflict, second, reason
):
    place = hub_with_two_boxes
    first = report_of_box_a(place, id="f" * 32)
    kinds = {
        "another building": report_of_box_a(place, "b"),
        "the same report id": report_of_box_a(place, id="f" * 32, number=2),
        "junk": json.dumps({"v": 2, "box": "box-a", "seq": 1}).encode(),
    }
    conflict_id = conflict(kinds[second], first)
    outcome = _decide(engine, conflict_id, APPLY, place.staff["operateur"])
    assert reason in outcome.refusal and outcome.seq == 1
    assert sent.count(engine, reports) == 1
    assert _the_conflict(engine)["decided_at"] is None
    assert _disputed(engine) == {"box-a": [1]}
    assert _actions(engine) == []


def test_a_conflict_is_decided_once(engine, hub_with_two_boxes, conflict):
    operator = hub_with_two_boxes.staff["operateur"]
    conflict_id = conflict(report_of_box_a(hub_with_two_boxes))
    _decide(engine, conflict_id, SET_ASIDE, operator)
    with pytest.raises(DomainError) as refused:
        _decide(engine, conflict_id, APPLY, operator)
    assert refused.value.code == "conflict_decided" and refused.value.params == {"seq": 1}
    assert sent.count(engine, reports) == 1
    assert _the_conflict(engine)["decision"] == SET_ASIDE
    assert len(_actions(engine)) == 1


def test_an_unknown_conflict_or_decision_is_refused(engine, hub_with_two_boxes, conflict):
    operator = hub_with_two_boxes.staff["operateur"]
    conflict_id = conflict(report_of_box_a(hub_with_two_boxes))
    with pytest.raises(NotFound):
        _decide(engine, conflict_id + 1, APPLY, operator)
    with pytest.raises(DomainError) as refused:
        _decide(engine, conflict_id, "undo", operator)
    assert refused.value.code == "decision_unknown"
    assert conflict_decision.DECISIONS == (APPLY, SET_ASIDE)
    assert _the_conflict(engine)["decided_at"] is None
