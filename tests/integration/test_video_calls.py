"""Video calls between households, through the portal's pages: who may be called, the
ring, accepting and declining; blocks and other buildings respected."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.domain import calls, room_tickets
from core.domain.clock import utcnow
from core.secrets import ensure_secrets
from core.storage.schema import calls as calls_table
from core.storage.schema import profiles

TICKET = re.compile(r'data-ticket="([^"]+)"')


def _profile_id(engine, name: str) -> str:
    with engine.connect() as connection:
        return connection.execute(
            select(profiles.c.id).where(profiles.c.display_name == name)
        ).scalar_one()


def _ticket_room(app, page: str) -> str:
    key = ensure_secrets(app.config["RESIDACOEUR"]["data_dir"])["rooms_key"]
    return room_tickets.read(key, html.unescape(TICKET.search(page).group(1)))["room"]


def _takes_calls(browser) -> None:
    browser.post("/me/calls", {"accepts_calls": "yes"}, form_page="/me")


def _call(browser, profile_id: str):
    """Call a neighbour, ticking the charter (a first call, as a first post, asks for it)."""
    return browser.post(
        "/calls", {"profile_id": profile_id, "charter": "accepted"}, form_page="/rooms"
    )


def _answer(browser, url: str, answer: str):
    return browser.post(url, {"answer": answer, "charter": "accepted"}, form_page=url)


@pytest.fixture
def neighbours(app, browser, other_browser, small_estate):
    """Karim (A-02) takes calls; Odette (A-01) is his neighbour in building A."""
    other_browser.activate(small_estate.codes["A-02"], "Karim")
    _takes_calls(other_browser)
    browser.activate(small_estate.codes["A-01"], "Odette")
    return browser, other_browser


def test_a_neighbour_calls_and_the_other_accepts_into_the_same_room(app, engine, neighbours):
    odette, karim = neighbours
    karim_id = _profile_id(engine, "Karim")
    listing = odette.get("/rooms").get_data(as_text=True)
    assert f'value="{karim_id}"' in listing

    # Without the charter ticked, nothing rings and the form says why.
    refused = odette.post("/calls", {"profile_id": karim_id}, form_page="/rooms")
    assert refused.status_code == 422
    assert 'id="charter-error"' in refused.get_data(as_text=True)
    calling = _call(odette, karim_id)
    assert calling.status_code == 200
    room = _ticket_room(app, calling.get_data(as_text=True))
    assert room.startswith(calls.ROOM_PREFIX)

    ringing = karim.get("/calls/ringing").get_json()
    assert [r["caller"] for r in ringing] == ["Odette"]
    question = karim.get(ringing[0]["url"]).get_data(as_text=True)
    assert 'value="accept"' in question and 'value="decline"' in question
    # The home page says so too, for a browser without JavaScript.
    home = karim.get("/").get_data(as_text=True)
    assert 'id="ringing-title"' in home and f'href="{ringing[0]["url"]}"' in home
    accepted = _answer(karim, ringing[0]["url"], "accept")
    assert accepted.status_code == 200
    assert _ticket_room(app, accepted.get_data(as_text=True)) == room
    assert karim.get("/calls/ringing").get_json() == []


def test_declining_tells_the_caller_and_ends_the_call(app, engine, neighbours):
    odette, karim = neighbours
    _call(odette, _profile_id(engine, "Karim"))
    url = karim.get("/calls/ringing").get_json()[0]["url"]
    declined = _answer(karim, url, "decline")
    assert declined.status_code == 302
    with engine.connect() as connection:
        call = connection.execute(select(calls_table)).mappings().one()
    assert call["state"] == calls.DECLINED
    room = calls.room_of(call["id"])
    assert odette.post(f"/rooms/{room}/ticket", {}, form_page="/rooms").status_code == 403


def test_nobody_else_sees_or_enters_a_call(app, engine, neighbours, small_estate):
    odette, _karim = neighbours
    _call(odette, _profile_id(engine, "Karim"))
    with engine.connect() as connection:
        call_id = connection.execute(select(calls_table.c.id)).scalar_one()
    room = calls.room_of(call_id)
    third = type(odette)(app.test_client())
    third.activate(small_estate.codes["A-03"], "Lina")
    assert third.get(f"/rooms/{room}").status_code == 404
    assert third.get(f"/calls/{call_id}").status_code == 404
    assert third.post(f"/rooms/{room}/ticket", {}, form_page="/rooms").status_code == 404


def test_a_blocked_neighbour_cannot_call(app, engine, neighbours):
    odette, karim = neighbours
    odette_id, karim_id = _profile_id(engine, "Odette"), _profile_id(engine, "Karim")
    karim.post(f"/people/{odette_id}/block", {}, form_page="/messages")
    assert f'value="{karim_id}"' not in odette.get("/rooms").get_data(as_text=True)
    refused = _call(odette, karim_id)
    assert refused.status_code == 403
    assert "accepte pas vos appels vidéo" in html.unescape(refused.get_data(as_text=True))
    with engine.connect() as connection:
        assert connection.execute(select(calls_table)).first() is None


def test_someone_who_does_not_take_calls_or_lives_elsewhere_cannot_be_called(
    app, engine, browser, other_browser, small_estate
):
    other_browser.activate(small_estate.codes["B-01"], "Zoé")
    _takes_calls(other_browser)
    other_browser.post("/me/calls", {}, form_page="/me")  # then changes her mind
    browser.activate(small_estate.codes["A-01"], "Odette")
    zoe = _profile_id(engine, "Zoé")
    assert _call(browser, zoe).status_code == 403
    _takes_calls(other_browser)
    # Building B: not a neighbour of Odette's building.
    assert f'value="{zoe}"' not in browser.get("/rooms").get_data(as_text=True)
    assert _call(browser, zoe).status_code == 403
    with engine.connect() as connection:
        assert connection.execute(select(calls_table)).first() is None


def test_a_call_rings_for_a_minute_then_cannot_be_answered(engine, neighbours):
    odette, karim = neighbours
    karim_id = _profile_id(engine, "Karim")
    _call(odette, karim_id)
    later = utcnow() + calls.RING_FOR + timedelta(seconds=1)
    with engine.begin() as connection:
        assert calls.ringing_for(connection, karim_id, later) == []
        call_id = connection.execute(select(calls_table.c.id)).scalar_one()
        connection.execute(
            calls_table.update().values(created_at=utcnow() - calls.RING_FOR - timedelta(1))
        )
    url = f"/calls/{call_id}"
    assert 'value="accept"' not in karim.get(url).get_data(as_text=True)
    assert _answer(karim, url, "accept").status_code == 422
    with engine.connect() as connection:
        assert connection.execute(select(calls_table.c.state)).scalar_one() == calls.RINGING
