"""What the hub kept of a box's messages, as an operator reads it: a page at a time, newest
first, and every payload as text, cut, with what could hide or reorder it written out."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from core.domain import fleet, kept_aside, side
from core.domain.errors import DomainError
from core.storage.schema import conflicts, quarantine
from link import received, topics
from link.inbox import keep_aside

UP_A = topics.up("box-a")
AT = datetime(2026, 12, 1, 10, 0)


@pytest.fixture
def hub(database):
    with database.begin() as connection:
        side.become_hub(connection)
        fleet.enrol(connection, "box-a", "A", [])
        fleet.enrol(connection, "box-b", "B", [])
    return database


def _kept(engine, box_id: str, count: int, at=lambda number: AT) -> None:
    with engine.begin() as connection:
        for number in range(1, count + 1):
            keep_aside(connection, topics.up(box_id), f"#{number}: refused", b"{}", box_id)
            connection.execute(
                update(quarantine)
                .where(quarantine.c.reason == f"#{number}: refused")
                .values(received_at=at(number))
            )


def _all_pages(engine, box_id: str) -> list[str]:
    with engine.connect() as connection:
        first = kept_aside.page(connection, box_id, size=20)
        rest = kept_aside.page(connection, box_id, first.rest, size=20)
    assert rest.rest is None
    return [item["reason"] for item in first.items + rest.items]


def test_messages_set_aside_are_read_a_page_at_a_time_newest_first(hub):
    _kept(hub, "box-a", 25, at=lambda number: AT + timedelta(seconds=number))
    _kept(hub, "box-b", 1)
    assert _all_pages(hub, "box-a") == [f"#{number}: refused" for number in range(25, 0, -1)]


def test_messages_set_aside_in_the_same_instant_come_once_each(hub):
    _kept(hub, "box-a", 25)
    assert sorted(_all_pages(hub, "box-a")) == sorted(f"#{n}: refused" for n in range(1, 26))


def test_a_page_that_does_not_exist_is_refused(hub):
    with hub.connect() as connection, pytest.raises(DomainError) as refused:
        kept_aside.page(connection, "box-a", "20261201000000000000-one")
    assert (refused.value.code, refused.value.field) == ("page_unknown", "before")


def test_a_payload_is_shown_as_text_cut_to_a_few_kilobytes(hub):
    payload = b'{"body":"<script>alert(1)</script>"}' + b"x" * 10_000
    with hub.begin() as connection:
        keep_aside(connection, UP_A, "too long", payload, "box-a")
    with hub.connect() as connection:
        (item,) = kept_aside.page(connection, "box-a").items
    assert (item["size"], item["cut"]) == (len(payload), True)
    assert (
        item["text"].startswith('{"body":"<script>') and len(item["text"]) == kept_aside.SHOWN_BYTES
    )


def test_what_could_hide_or_reorder_text_is_written_out():
    shown = kept_aside.as_text("a\x00b\x1b[2J \u202eevil\u202c é\n".encode() + b"\xff")
    assert shown == "a\\u0000b\\u001b[2J \\u202eevil\\u202c é\n\ufffd"


def test_conflicts_waiting_are_shown_with_what_came_first_under_their_number(hub):
    with hub.begin() as connection:
        received.remember(
            connection,
            [{"peer_id": "box-a", "seq": 4, "fingerprint": "a" * 32, "kept_aside": False}],
        )
        received.keep_conflict(connection, "box-a", 4, "b" * 32, UP_A, b'{"seq":4}')
        received.keep_conflict(connection, "box-a", 2, "c" * 32, UP_A, b'{"seq":2}')
        received.keep_conflict(connection, "box-a", 7, "d" * 32, UP_A, b'{"seq":7}')
        connection.execute(
            update(conflicts).where(conflicts.c.seq == 7).values(decided_at=AT, decision="apply")
        )
    with hub.connect() as connection:
        waiting = kept_aside.undecided_conflicts(connection, "box-a")
        assert kept_aside.undecided_conflicts(connection, "box-b") == []
    assert [(c["seq"], c["first_kept_aside"], c["text"]) for c in waiting] == [
        (2, None, '{"seq":2}'),
        (4, False, '{"seq":4}'),
    ]
    assert waiting[1]["first_fingerprint"] == "a" * 32 and waiting[1]["size"] == 9
