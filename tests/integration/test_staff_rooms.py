"""Caretakers and mediators look after the video rooms of their buildings: who is there,
someone taken out, a room closed — the real rooms process told, the audit log kept."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.sync.client import ClientConnection

from core.domain import audit
from tests.conftest import Browser
from tests.support.rooms_process import RoomsProcess, web_service_beside

KARIM = {"id": "p-karim", "display_name": "Karim"}


@pytest.fixture
def rooms(data_dir: Path) -> Iterator[RoomsProcess]:
    process = RoomsProcess(data_dir)
    yield process
    process.stop()


@pytest.fixture
def staff(rooms: RoomsProcess, engine, static_dir: Path) -> Iterator[Browser]:
    """The box's web service with its socket beside the rooms' one, as on a box."""
    app = web_service_beside(rooms, static_dir)
    yield Browser(app.test_client())
    app.extensions["engine"].dispose()


@contextlib.contextmanager
def _karim_enters(rooms: RoomsProcess, room: str) -> Iterator[ClientConnection]:
    with rooms.connect() as page:
        page.send(json.dumps({"type": "join", "ticket": rooms.ticket(room, KARIM)}))
        assert json.loads(page.recv(timeout=20))["type"] == "offer"
        yield page


def test_a_caretaker_takes_a_neighbour_out_and_the_audit_log_keeps_it(
    rooms, staff, engine, small_estate
):
    room = f"neighbours-{small_estate.building_a}"
    with _karim_enters(rooms, room) as page:
        staff.sign_in_staff("gardien")
        listing = staff.get("/staff/rooms").get_data(as_text=True)
        assert "Karim" in listing and 'value="p-karim"' in listing
        done = staff.post(
            f"/staff/rooms/{room}",
            {"action": "remove", "profile_id": "p-karim"},
            form_page="/staff/rooms",
        )
        assert done.status_code == 302
        assert json.loads(page.recv(timeout=10))["type"] == "removed"
    with engine.connect() as connection:
        entry = audit.recent(connection, 1)[0]
    assert entry["action"] == "room.remove"
    assert entry["detail"]["person"] == "Karim" and entry["detail"]["out"] == 1
    assert entry["target"] == f"building:{small_estate.building_a}"


def test_a_mediator_closes_the_room_and_nobody_enters_for_a_while(rooms, staff, small_estate):
    room = f"neighbours-{small_estate.building_a}"
    with _karim_enters(rooms, room) as page:
        staff.sign_in_staff("mediatrice")
        staff.post(f"/staff/rooms/{room}", {"action": "close"}, form_page="/staff/rooms")
        assert json.loads(page.recv(timeout=10))["type"] == "closed"
    with rooms.connect() as later:
        later.send(json.dumps({"type": "join", "ticket": rooms.ticket(room, KARIM)}))
        assert json.loads(later.recv(timeout=10)) == {"type": "refused", "reason": "closed"}


def test_only_the_rooms_of_my_buildings_and_only_caretakers_and_mediators(
    rooms, staff, small_estate
):
    other = f"neighbours-{small_estate.building_b}"
    staff.sign_in_staff("gardien")  # building A only
    order = {"action": "close"}
    assert staff.post(f"/staff/rooms/{other}", order, form_page="/staff/rooms").status_code == 404
    agent = Browser(staff.client.application.test_client())
    agent.sign_in_staff("agent.b")
    assert agent.get("/staff/rooms").status_code == 403


def test_without_the_rooms_process_the_caretaker_is_told_plainly(
    rooms, staff, engine, small_estate
):
    room = f"neighbours-{small_estate.building_a}"
    rooms.stop()
    staff.sign_in_staff("gardien")
    answer = staff.post(f"/staff/rooms/{room}", {"action": "close"}, form_page="/staff/rooms")
    assert answer.status_code == 302
    page = staff.get("/staff/rooms").get_data(as_text=True)
    assert "The video rooms do not answer now." in page
    with engine.connect() as connection:
        assert all(entry["action"] != "room.close" for entry in audit.recent(connection, 5))
