"""The video rooms of events: a mediator's workshop or a committee held also by video,
open from a quarter of an hour before the start to the end — the pages, the tickets,
the audit log, and the real rooms process sending everyone out at the end."""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from core.domain import audit, room_presence, room_tickets
from core.domain.clock import new_id, utcnow
from core.secrets import ensure_secrets
from core.storage.schema import buildings, events
from tests.conftest import Browser
from tests.support.rooms_process import RoomsProcess, web_service_beside

TICKET = re.compile(r'data-ticket="([^"]+)"')


def _organise_workshop(mediator: Browser, building_id: str, **fields) -> None:
    """The mediator puts a workshop held also by video in three days' calendar."""
    data = {
        "building_id": building_id,
        "scope": "building",
        "title": "Appeler sa famille en vidéo",
        "place": "Salle commune",
        "day": (date.today() + timedelta(days=3)).strftime("%d/%m/%Y"),
        "starts": "14:00",
        "ends": "16:00",
        "description": "",
        "capacity": "",
        "organiser": "Leïla, médiatrice",
        "video_room": "yes",
        **fields,
    }
    answer = mediator.post("/staff/sessions", data, form_page="/staff/sessions/new")
    assert answer.status_code == 302, answer.get_data(as_text=True)


def _the_event(engine, title: str = "Appeler sa famille en vidéo") -> dict:
    with engine.connect() as connection:
        return dict(
            connection.execute(select(events).where(events.c.title == title)).mappings().one()
        )


def _move(engine, event_id: str, starts_in: timedelta, lasts: timedelta = timedelta(hours=1)):
    """Time passes: the event now starts ``starts_in`` from now."""
    starts = utcnow() + starts_in
    with engine.begin() as connection:
        connection.execute(
            update(events)
            .where(events.c.id == event_id)
            .values(starts_at=starts, ends_at=starts + lasts)
        )


def _ticket_in(page: str) -> str:
    return html.unescape(TICKET.search(page).group(1))


@pytest.fixture
def mediator(app, small_estate) -> Browser:
    staff = Browser(app.test_client())
    staff.sign_in_staff("mediatrice")
    return staff


@pytest.fixture
def tenant(app, small_estate) -> Browser:
    person = Browser(app.test_client())
    person.activate(small_estate.codes["A-01"], "Odette", locale="en")
    return person


def test_the_room_opens_a_quarter_of_an_hour_before_the_start_and_closes_at_the_end(
    app, engine, mediator, small_estate, tenant
):
    _organise_workshop(mediator, small_estate.building_a)
    event = _the_event(engine)
    assert event["video_room"] is True
    room = f"/rooms/event-{event['id']}"

    page = tenant.get(f"/events/{event['id']}").get_data(as_text=True)
    assert "The video room opens on" in page and f'href="{room}"' not in page
    assert f'href="{room}"' not in tenant.get("/rooms").get_data(as_text=True)
    early = tenant.post(room, {"charter": "accepted"}, form_page=room)
    assert early.status_code == 422
    assert "This room opens a quarter of an hour before the event starts." in early.get_data(
        as_text=True
    )
    assert "data-ticket" not in early.get_data(as_text=True)

    _move(engine, event["id"], timedelta(minutes=10))
    event = _the_event(engine)
    assert f'href="{room}"' in tenant.get(f"/events/{event['id']}").get_data(as_text=True)
    listing = tenant.get("/rooms").get_data(as_text=True)
    assert f'href="{room}"' in listing and "Appeler sa famille en vidéo" in listing
    entered = tenant.post(room, {"charter": "accepted"}, form_page=room)
    assert entered.status_code == 200
    key = ensure_secrets(app.config["RESIDACOEUR"]["data_dir"])["rooms_key"]
    ticket = room_tickets.read(key, _ticket_in(entered.get_data(as_text=True)))
    assert ticket["room"] == f"event-{event['id']}"
    # The rooms process sends everyone out at the event's end.
    assert abs(ticket["until"] - (event["ends_at"] - utcnow()).total_seconds() - time.time()) < 5

    _move(engine, event["id"], timedelta(hours=-2))
    over = tenant.post(room, {}, form_page=room)
    assert over.status_code == 422
    assert "The event is over: its video room is closed." in over.get_data(as_text=True)
    assert tenant.post(f"{room}/ticket", {}, form_page=room).status_code == 422
    assert f'href="{room}"' not in tenant.get("/rooms").get_data(as_text=True)


def test_a_building_event_room_is_not_for_the_other_building(app, engine, mediator, small_estate):
    _organise_workshop(mediator, small_estate.building_a)
    event = _the_event(engine)
    _move(engine, event["id"], timedelta(minutes=5))
    other = Browser(app.test_client())
    other.activate(small_estate.codes["B-01"], "Bernard", locale="en")
    room = f"/rooms/event-{event['id']}"
    assert other.get(room).status_code == 404
    assert other.post(room, {"charter": "accepted"}, form_page="/rooms").status_code == 404
    assert other.post(f"{room}/ticket", {}, form_page="/rooms").status_code == 404


def test_an_event_without_a_video_room_has_none(engine, mediator, small_estate, tenant):
    _organise_workshop(mediator, small_estate.building_a, video_room="", title="Café tricot")
    event = _the_event(engine, "Café tricot")
    assert event["video_room"] is False
    _move(engine, event["id"], timedelta(minutes=5))
    assert "Also by video" not in tenant.get(f"/events/{event['id']}").get_data(as_text=True)
    assert tenant.get(f"/rooms/event-{event['id']}").status_code == 404


def test_a_residence_event_of_another_box_says_its_room_is_not_reachable_from_here(
    engine, tenant, small_estate
):
    """A residence's event copied from another box: its room is on that box's network."""
    event_id = new_id()
    starts = utcnow() + timedelta(minutes=5)
    with engine.begin() as connection:
        residence = connection.execute(
            select(buildings.c.residence_id).where(buildings.c.id == small_estate.building_a)
        ).scalar_one()
        connection.execute(
            events.insert().values(
                id=event_id,
                scope="residence",
                residence_id=residence,
                building_id=new_id(),
                title="Comité des résidents",
                description="",
                place="Tour 2",
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                organiser="Le comité",
                video_room=True,
                created_at=utcnow(),
                updated_at=utcnow(),
            )
        )
    page = tenant.get(f"/events/{event_id}").get_data(as_text=True)
    assert "its video room cannot be reached from your building" in page
    assert tenant.get(f"/rooms/event-{event_id}").status_code == 404
    assert "Comité des résidents" not in tenant.get("/rooms").get_data(as_text=True)


def test_the_audit_log_keeps_who_opened_a_room_a_tenant_or_a_mediator(
    engine, mediator, tenant, small_estate
):
    _organise_workshop(mediator, small_estate.building_a)
    day = (date.today() + timedelta(days=5)).strftime("%d/%m/%Y")
    made = tenant.post(
        "/events",
        {
            "scope": "building",
            "title": "Réunion des locataires",
            "place": "Hall",
            "day": day,
            "starts": "18:00",
            "ends": "19:00",
            "description": "",
            "capacity": "",
            "organiser": "Odette",
            "video_room": "yes",
            "charter": "accepted",
        },
        form_page="/events/new",
    )
    assert made.status_code == 302
    workshop, meeting = _the_event(engine), _the_event(engine, "Réunion des locataires")
    with engine.connect() as connection:
        opened = [e for e in audit.recent(connection, 20) if e["action"] == "room.open"]
    by_target = {entry["target"]: entry for entry in opened}
    assert by_target[f"event:{workshop['id']}"]["actor_name"]
    assert by_target[f"event:{meeting['id']}"]["actor_name"] is None
    assert by_target[f"event:{meeting['id']}"]["detail"]["tenant"] == "Odette"
    assert by_target[f"event:{meeting['id']}"]["detail"]["title"] == "Réunion des locataires"


@pytest.fixture
def rooms(data_dir: Path) -> Iterator[RoomsProcess]:
    process = RoomsProcess(data_dir)
    yield process
    process.stop()


def test_the_rooms_process_sends_everyone_out_at_the_end_and_lets_nobody_in_after(rooms):
    room = "event-e1"
    with rooms.connect() as page:
        ends = utcnow() + timedelta(seconds=2)
        page.send(json.dumps({"type": "join", "ticket": rooms.ticket(room, until=ends)}))
        assert json.loads(page.recv(timeout=20))["type"] == "offer"
        assert json.loads(page.recv(timeout=10))["type"] == "ended"
    with rooms.connect() as late:
        late.send(json.dumps({"type": "join", "ticket": rooms.ticket(room, until=ends)}))
        assert json.loads(late.recv(timeout=10)) == {"type": "refused", "reason": "ended"}


def test_an_event_moved_while_people_are_in_moves_the_end_of_its_room(rooms):
    room = "event-e2"
    with rooms.connect() as first, rooms.connect() as second:
        first.send(
            json.dumps(
                {"type": "join", "ticket": rooms.ticket(room, until=utcnow() + timedelta(hours=1))}
            )
        )
        assert json.loads(first.recv(timeout=20))["type"] == "offer"
        # The event now ends in two seconds: the next ticket says so.
        later = {"id": "p-2", "display_name": "Karim"}
        ticket = rooms.ticket(room, later, until=utcnow() + timedelta(seconds=2))
        second.send(json.dumps({"type": "join", "ticket": ticket}))
        assert json.loads(second.recv(timeout=20))["type"] == "offer"
        for page in (first, second):
            assert json.loads(page.recv(timeout=10))["type"] == "ended"


def test_the_mediator_enters_the_room_of_the_workshop_while_it_is_open(
    app, engine, mediator, tenant, small_estate
):
    _organise_workshop(mediator, small_estate.building_a)
    event = _the_event(engine)
    room = f"event-{event['id']}"
    early = mediator.post(f"/staff/rooms/{room}/join", {}, form_page="/staff/rooms")
    assert early.status_code == 302
    assert "This room opens a quarter of an hour" in mediator.get("/staff/rooms").get_data(
        as_text=True
    )

    _move(engine, event["id"], timedelta(minutes=10))
    listing = mediator.get("/staff/rooms").get_data(as_text=True)
    assert f'action="/staff/rooms/{room}/join"' in listing
    entered = mediator.post(f"/staff/rooms/{room}/join", {}, form_page="/staff/rooms")
    assert entered.status_code == 200
    assert "camera=(self)" in entered.headers["Permissions-Policy"]
    key = ensure_secrets(app.config["RESIDACOEUR"]["data_dir"])["rooms_key"]
    ticket = room_tickets.read(key, _ticket_in(entered.get_data(as_text=True)))
    assert ticket["room"] == room and ticket["profile_id"].startswith("staff-")
    again = mediator.post(f"/staff/rooms/{room}/ticket", {}, form_page="/staff/rooms")
    assert room_tickets.read(key, again.get_json()["ticket"])["room"] == room
    # The neighbours' café is the tenants': staff watch over it, they do not enter it.
    cafe = f"neighbours-{_the_event(engine)['building_id']}"
    assert (
        mediator.post(f"/staff/rooms/{cafe}/ticket", {}, form_page="/staff/rooms").status_code
        == 404
    )


def test_a_cancelled_event_closes_its_room(engine, mediator, tenant, small_estate):
    _organise_workshop(mediator, small_estate.building_a)
    event = _the_event(engine)
    _move(engine, event["id"], timedelta(minutes=5))
    room = f"/rooms/event-{event['id']}"
    assert f'href="{room}"' in tenant.get("/rooms").get_data(as_text=True)
    sessions = "/staff/sessions"
    cancelled = mediator.post(f"{sessions}/{event['id']}/cancel", {}, form_page=sessions)
    assert cancelled.status_code == 302
    refused = tenant.post(room, {"charter": "accepted"}, form_page=room)
    assert refused.status_code == 422
    assert "The event is cancelled: its video room is closed." in refused.get_data(as_text=True)
    assert f'href="{room}"' not in tenant.get("/rooms").get_data(as_text=True)


@pytest.fixture
def mediator_beside_rooms(rooms, static_dir, small_estate) -> Iterator[Browser]:
    app = web_service_beside(rooms, static_dir)
    staff = Browser(app.test_client())
    staff.sign_in_staff("mediatrice")
    yield staff
    app.extensions["engine"].dispose()


def test_cancelling_the_event_sends_everyone_out_of_its_room(
    rooms, mediator_beside_rooms, engine, small_estate
):
    _organise_workshop(mediator_beside_rooms, small_estate.building_a)
    event = _the_event(engine)
    _move(engine, event["id"], timedelta(minutes=5))
    with rooms.connect() as page:
        ticket = rooms.ticket(f"event-{event['id']}", until=utcnow() + timedelta(hours=1))
        page.send(json.dumps({"type": "join", "ticket": ticket}))
        assert json.loads(page.recv(timeout=20))["type"] == "offer"
        sessions = "/staff/sessions"
        mediator_beside_rooms.post(f"{sessions}/{event['id']}/cancel", {}, form_page=sessions)
        assert json.loads(page.recv(timeout=10))["type"] == "ended"


def test_the_home_page_shows_who_is_in_an_open_event_room(
    app, engine, mediator, tenant, small_estate
):
    _organise_workshop(mediator, small_estate.building_a)
    event = _the_event(engine)
    _move(engine, event["id"], timedelta(minutes=5))
    room = f"event-{event['id']}"
    data_dir = app.config["RESIDACOEUR"]["data_dir"]
    room_presence.write(data_dir, {room: [{"profile_id": "staff-1", "name": "Leïla"}]})
    home = tenant.get("/").get_data(as_text=True)
    assert 'id="live-rooms-title"' in home
    assert f'href="/rooms/{room}"' in home and "<li>Leïla</li>" in home
    # The room over, whoever the rooms process still lists is no longer "live now".
    _move(engine, event["id"], timedelta(hours=-2))
    assert f'href="/rooms/{room}"' not in tenant.get("/").get_data(as_text=True)
