"""The video rooms' pages, without JavaScript: which rooms a tenant sees, entering one
with the charter, and the tickets the web service signs for the rooms process."""

import html
import re
from datetime import timedelta

from sqlalchemy import update

from core.domain import room_presence, room_tickets
from core.domain.clock import utcnow
from core.secrets import ensure_secrets
from core.storage.schema import profiles

TICKET = re.compile(r'data-ticket="([^"]+)"')


def _ticket_in(page: str) -> str:
    return html.unescape(TICKET.search(page).group(1))


def test_a_tenant_sees_the_neighbours_room_of_their_building_only(browser, small_estate):
    browser.activate(small_estate.codes["A-01"], "Odette")
    mine = f"neighbours-{small_estate.building_a}"
    listing = browser.get("/rooms").get_data(as_text=True)
    assert f'href="/rooms/{mine}"' in listing
    assert small_estate.building_b not in listing
    assert browser.get(f"/rooms/{mine}").status_code == 200
    other = f"neighbours-{small_estate.building_b}"
    assert browser.get(f"/rooms/{other}").status_code == 404
    entering = browser.post(f"/rooms/{other}", {"charter": "accepted"}, form_page="/rooms")
    assert entering.status_code == 404
    assert browser.post(f"/rooms/{other}/ticket", form_page="/rooms").status_code == 404


def test_entering_asks_for_the_charter_once_then_gives_a_ticket_for_me_and_this_room(
    app, browser, small_estate
):
    browser.activate(small_estate.codes["A-01"], "Odette")
    room = f"neighbours-{small_estate.building_a}"
    page = f"/rooms/{room}"
    assert 'name="charter"' in browser.get(page).get_data(as_text=True)
    refused = browser.post(page, {}, form_page=page)
    assert refused.status_code == 422
    assert 'id="charter-error"' in refused.get_data(as_text=True)
    assert "data-ticket" not in refused.get_data(as_text=True)

    entered = browser.post(page, {"charter": "accepted"}, form_page=page)
    assert entered.status_code == 200
    key = ensure_secrets(app.config["RESIDACOEUR"]["data_dir"])["rooms_key"]
    content = room_tickets.read(key, _ticket_in(entered.get_data(as_text=True)))
    assert content["room"] == room and content["name"] == "Odette"
    assert 'name="charter"' not in browser.get(page).get_data(as_text=True)

    again = browser.post(f"{page}/ticket", {}, form_page=page)
    assert again.status_code == 200
    assert again.headers["Cache-Control"] == "no-store"
    assert room_tickets.read(key, again.get_json()["ticket"])["profile_id"] == content["profile_id"]


def test_no_ticket_without_the_form_token(browser, small_estate):
    browser.activate(small_estate.codes["A-01"], "Odette")
    room = f"neighbours-{small_estate.building_a}"
    assert browser.client.post(f"/rooms/{room}/ticket").status_code == 400


def test_a_suspended_tenant_cannot_enter(app, engine, browser, small_estate):
    browser.activate(small_estate.codes["A-01"], "Odette")
    room = f"neighbours-{small_estate.building_a}"
    browser.post(f"/rooms/{room}", {"charter": "accepted"}, form_page=f"/rooms/{room}")
    with engine.begin() as connection:
        connection.execute(
            update(profiles)
            .where(profiles.c.display_name == "Odette")
            .values(suspended_until=utcnow() + timedelta(days=3))
        )
    refused = browser.post(f"/rooms/{room}", {}, form_page=f"/rooms/{room}")
    assert refused.status_code == 403
    assert "data-ticket" not in refused.get_data(as_text=True)
    assert browser.post(f"/rooms/{room}/ticket", {}, form_page=f"/rooms/{room}").status_code == 403


def test_the_home_page_shows_who_is_in_my_building_room_now(app, browser, small_estate):
    browser.activate(small_estate.codes["A-01"], "Odette")
    data_dir = app.config["RESIDACOEUR"]["data_dir"]
    mine = f"neighbours-{small_estate.building_a}"
    other = f"neighbours-{small_estate.building_b}"
    assert 'id="live-rooms-title"' not in browser.get("/").get_data(as_text=True)

    room_presence.write(
        data_dir,
        {
            mine: [{"profile_id": "p-1", "name": "Karim"}, {"profile_id": "p-2", "name": "Lina"}],
            other: [{"profile_id": "p-3", "name": "Zoé"}],
        },
    )
    home = browser.get("/").get_data(as_text=True)
    assert 'id="live-rooms-title"' in home
    assert "<li>Karim</li>" in home and "<li>Lina</li>" in home
    assert "Zoé" not in home
    assert f'href="/rooms/{mine}"' in home
    assert "<li>Karim</li>" in browser.get("/rooms").get_data(as_text=True)
    assert "<li>Lina</li>" in browser.get(f"/rooms/{mine}").get_data(as_text=True)

    room_presence.write(data_dir, {mine: []})
    assert 'id="live-rooms-title"' not in browser.get("/").get_data(as_text=True)
