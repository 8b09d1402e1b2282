"""The door of the video rooms: the real rooms process, spoken to as a page would.

Only a ticket signed by this box's web service, fresh and unchanged, lets someone in;
a room holds its seats and the box its rooms; a page that sends rubbish is sent away
alone, and the next person still gets in.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

import itsdangerous.timed
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection

from core.domain import room_tickets
from tests.support.room_bot import RoomBot
from tests.support.rooms_process import PERSON, RoomsProcess

KARIM = {"id": "p-karim", "display_name": "Karim"}
NADIA = {"id": "p-nadia", "display_name": "Nadia"}


@pytest.fixture
def rooms(tmp_path: Path) -> Iterator[RoomsProcess]:
    process = RoomsProcess(tmp_path, room_seats="2", rooms_open="1")
    yield process
    process.stop()


def join(connection: ClientConnection, ticket: str) -> dict:
    connection.send(json.dumps({"type": "join", "ticket": ticket}))
    return json.loads(connection.recv(timeout=20))


def test_a_good_ticket_gets_the_box_offer_with_a_place_for_each_other_seat(rooms):
    with rooms.connect() as connection:
        answer = join(connection, rooms.ticket())
    assert answer["type"] == "offer"
    assert answer["places"] == 1
    assert answer["video"] == {"width": 640, "height": 480, "bitrate": 500_000}
    sdp = answer["sdp"]
    # Opus and VP8 only; no STUN or TURN: the box's own addresses, nothing outside.
    assert sdp.count("m=audio") == 2 and sdp.count("m=video") == 2
    assert "VP8/90000" in sdp and "H264" not in sdp and "opus/48000" in sdp
    assert "typ srflx" not in sdp and "typ relay" not in sdp


def test_a_ticket_of_another_box_is_refused(rooms):
    forged = room_tickets.issue("another box's key", PERSON, "neighbours-b1")
    with rooms.connect() as connection:
        assert join(connection, forged) == {"type": "refused", "reason": "forged"}


def test_an_expired_ticket_is_refused(rooms, monkeypatch):
    real_time = itsdangerous.timed.time.time
    monkeypatch.setattr(
        itsdangerous.timed.time, "time", lambda: real_time() - room_tickets.TICKET_SECONDS - 5
    )
    old = rooms.ticket()
    monkeypatch.undo()
    with rooms.connect() as connection:
        assert join(connection, old) == {"type": "refused", "reason": "expired"}


@pytest.mark.parametrize(
    "first_message",
    [
        "not json at all",
        json.dumps(["join"]),
        json.dumps({"type": "answer", "sdp": "v=0"}),
        json.dumps({"type": "join", "ticket": 12}),
        json.dumps({"type": "join", "ticket": "x" * 100_000}),
    ],
)
def test_rubbish_sends_that_page_away_and_the_next_person_gets_in(rooms, first_message):
    with rooms.connect() as hostile:
        hostile.send(first_message)
        assert json.loads(hostile.recv(timeout=10))["type"] == "refused"
    with rooms.connect() as connection:
        assert join(connection, rooms.ticket())["type"] == "offer"
    assert rooms.process.poll() is None


def test_a_full_room_and_a_busy_box_say_so(rooms):
    def person(number: int) -> dict:
        return {"id": f"p-{number}", "display_name": f"Person {number}"}

    with rooms.connect() as first, rooms.connect() as second, rooms.connect() as third:
        assert join(first, rooms.ticket(profile=person(1)))["type"] == "offer"
        assert join(second, rooms.ticket(profile=person(2)))["type"] == "offer"
        assert join(third, rooms.ticket(profile=person(3))) == {
            "type": "refused",
            "reason": "full",
        }
        # One room open at once on this box: another room must wait.
        with rooms.connect() as other:
            assert join(other, rooms.ticket("neighbours-b2", person(4))) == {
                "type": "refused",
                "reason": "busy",
            }


def test_the_box_holds_so_many_people_in_all_its_rooms_together(tmp_path):
    rooms = RoomsProcess(tmp_path, room_seats="8", rooms_open="6", room_people="2")
    try:
        with rooms.connect() as first, rooms.connect() as second, rooms.connect() as third:
            assert join(first, rooms.ticket("neighbours-b1", KARIM))["type"] == "offer"
            assert join(second, rooms.ticket("call-c1", PERSON))["type"] == "offer"
            assert join(third, rooms.ticket("neighbours-b2", NADIA)) == {
                "type": "refused",
                "reason": "busy",
            }
            # Someone already in comes back from another page: still the same people.
            with rooms.connect() as again:
                assert join(again, rooms.ticket("call-c1", PERSON))["type"] == "offer"
    finally:
        rooms.stop()


def test_the_same_person_entering_again_takes_over_from_the_earlier_page(rooms):
    with rooms.connect() as earlier, rooms.connect() as later:
        assert join(earlier, rooms.ticket())["type"] == "offer"
        assert join(later, rooms.ticket())["type"] == "offer"
        assert json.loads(earlier.recv(timeout=10)) == {"type": "elsewhere", "reason": "elsewhere"}


def test_a_page_that_never_shows_a_ticket_is_let_go(rooms):
    with rooms.connect() as silent:
        started = time.monotonic()
        assert json.loads(silent.recv(timeout=30)) == {"type": "refused", "reason": "late"}
        assert time.monotonic() - started < 15


def order(rooms: RoomsProcess, action: str, profile_id: str = "", key: str | None = None) -> dict:
    token = room_tickets.order(key or rooms.key, "s-1", "neighbours-b1", action, profile_id)
    with rooms.connect() as control:
        control.send(json.dumps({"type": "order", "order": token}))
        return json.loads(control.recv(timeout=10))


def test_a_caretaker_takes_someone_out_and_the_others_stay(rooms):
    odette = {"id": "p-1", "display_name": "Odette"}
    karim = {"id": "p-2", "display_name": "Karim"}
    with rooms.connect() as first, rooms.connect() as second:
        assert join(first, rooms.ticket(profile=odette))["type"] == "offer"
        assert join(second, rooms.ticket(profile=karim))["type"] == "offer"
        assert order(rooms, "remove", "p-2") == {"type": "done", "out": 1}
        assert json.loads(second.recv(timeout=10)) == {"type": "removed", "reason": "removed"}
        # Odette is still there: the room is full with her and a newcomer.
        with rooms.connect() as third:
            newcomer = {"id": "p-3", "display_name": "Lina"}
            assert join(third, rooms.ticket(profile=newcomer))["type"] == "offer"


def test_a_closed_room_sends_everyone_out_and_lets_nobody_in(rooms):
    with rooms.connect() as inside:
        assert join(inside, rooms.ticket())["type"] == "offer"
        assert order(rooms, "close") == {"type": "done", "out": 1}
        assert json.loads(inside.recv(timeout=10)) == {"type": "closed", "reason": "closed"}
    with rooms.connect() as later:
        assert join(later, rooms.ticket()) == {"type": "refused", "reason": "closed"}


def test_an_order_not_signed_by_this_box_is_refused(rooms):
    with rooms.connect() as inside:
        assert join(inside, rooms.ticket())["type"] == "offer"
        assert order(rooms, "close", key="another box's key") == {
            "type": "refused",
            "reason": "forged",
        }
        # Still in: a page may still send its answer.
        inside.send(json.dumps({"type": "answer", "sdp": "v=0", "camera": 1}))
        assert json.loads(inside.recv(timeout=10))["type"] == "refused"
    with rooms.connect() as later:
        assert join(later, rooms.ticket())["type"] == "offer"


def test_a_page_flooding_the_box_with_messages_is_sent_away_and_the_others_stay(rooms):
    async def flood() -> None:
        victim, flooder = RoomBot(rooms.socket), RoomBot(rooms.socket)
        await victim.enter(rooms.ticket(profile={"id": "p-1", "display_name": "Odette"}))
        await flooder.enter(rooms.ticket(profile={"id": "p-2", "display_name": "Mallory"}))
        heard_before = victim.count("people")
        with contextlib.suppress(ConnectionClosed):
            for number in range(2000):
                await flooder.send(
                    {"type": "devices", "camera": bool(number % 2), "microphone": True}
                )
        refused = await flooder.wait_for("refused")
        assert refused["reason"] == "flood"
        await asyncio.sleep(1)
        # The others heard of a few changes, then of the flooder leaving; not 2,000.
        assert victim.count("people") - heard_before < 60
        assert not victim.closed
        await victim.leave()
        await flooder.leave()

    # A loop of its own, in a thread: another test's may be running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, flood()).result()
    assert rooms.process.poll() is None
