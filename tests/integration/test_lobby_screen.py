"""The lobby screen: the caretaker makes a screen's address, the screen shows the
building's public-safe content with it, and stops the moment the caretaker stops it."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest

from core.domain import audit
from tests.conftest import Browser

ADDRESS = re.compile(r"<code>(https?://[^<]+)</code>")


def _make_screen(caretaker: Browser, name: str = "Hall d'entrée") -> str:
    """The path of a new screen's address, as the caretaker's page shows it once."""
    made = caretaker.post("/staff/lobby-screens", {"name": name}, form_page="/staff/lobby-screens")
    assert made.status_code == 201
    assert made.headers["Cache-Control"] == "no-store"
    return urlsplit(html.unescape(ADDRESS.search(made.get_data(as_text=True)).group(1))).path


def _set_up(app, path: str) -> Browser:
    """A screen opening its address once: it lands on its building's lobby page."""
    screen = Browser(app.test_client())
    first = screen.client.get(path)
    assert first.status_code == 303
    assert first.headers["Location"] == path.rsplit("/", 1)[0]
    return screen


@pytest.fixture
def caretaker(app, small_estate) -> Browser:
    staff = Browser(app.test_client())
    staff.sign_in_staff("gardien")
    return staff


def test_the_screen_shows_the_building_s_public_content_and_no_one_s_name(
    app, caretaker, small_estate
):
    tenant = Browser(app.test_client())
    tenant.activate(small_estate.codes["A-01"], "Odette Martin")
    day = (date.today() + timedelta(days=3)).strftime("%d/%m/%Y")
    tenant.post(
        "/events",
        {
            "scope": "building",
            "title": "Goûter des voisins",
            "place": "Cour",
            "day": day,
            "starts": "16:00",
            "ends": "18:00",
            "description": "",
            "capacity": "",
            "organiser": "Odette Martin",
            "charter": "accepted",
        },
        form_page="/events/new",
    )
    path = _make_screen(caretaker)
    lobby = f"/lobby/{small_estate.building_a}"
    assert path.startswith(lobby + "/")
    screen = _set_up(app, path)
    page = screen.get(lobby)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    shown = page.get_data(as_text=True)
    assert "Goûter des voisins" in shown and "Cour" in shown
    assert "Odette" not in shown
    # The portal's address, written out and as a code to scan.
    assert 'class="slide__qr"><img src="data:image/svg+xml' in shown
    # One slide at a time; without JavaScript the next one is the next page.
    assert shown.count('<section class="slide') - shown.count(" hidden>") == 1
    assert f'content="12;url={lobby}?slide=1"' in shown
    second = screen.get(f"{lobby}?slide=1").get_data(as_text=True)
    sections = re.findall(r'<section class="slide slide--(\w+)"[^>]*?( hidden)?>', second)
    assert [kind for kind, hidden in sections if not hidden] == [sections[1][0]]
    with app.extensions["engine"].connect() as connection:
        made = [e for e in audit.recent(connection, 10) if e["action"] == "lobby.create"]
    assert made and made[0]["detail"]["name"] == "Hall d'entrée"


def test_a_stopped_screen_shows_nothing_at_its_next_refresh(app, caretaker, small_estate):
    path = _make_screen(caretaker)
    screen = _set_up(app, path)
    lobby = f"/lobby/{small_estate.building_a}"
    assert screen.get(lobby).status_code == 200
    listing = caretaker.get("/staff/lobby-screens").get_data(as_text=True)
    screen_id = re.search(r"/staff/lobby-screens/([0-9a-f]{32})/revoke", listing).group(1)
    stopped = caretaker.post(
        f"/staff/lobby-screens/{screen_id}/revoke", {}, form_page="/staff/lobby-screens"
    )
    assert stopped.status_code == 302
    refused = screen.get(lobby)
    assert refused.status_code == 403
    assert "Goûter" not in refused.get_data(as_text=True)
    assert screen.client.get(path).status_code == 403


def test_no_key_a_wrong_key_or_another_building_s_key_shows_nothing(app, caretaker, small_estate):
    path = _make_screen(caretaker)
    stranger = Browser(app.test_client())
    assert stranger.get(f"/lobby/{small_estate.building_a}").status_code == 403
    assert stranger.client.get(path[:-4] + "abcd").status_code == 403
    key = path.rsplit("/", 1)[1]
    assert stranger.client.get(f"/lobby/{small_estate.building_b}/{key}").status_code == 403
    screen = _set_up(app, path)
    # The key's cookie is for its own building's lobby only.
    assert screen.get(f"/lobby/{small_estate.building_b}").status_code == 403


def test_only_caretakers_and_agents_of_the_building_make_screens(app, small_estate):
    mediator = Browser(app.test_client())
    mediator.sign_in_staff("mediatrice")
    assert mediator.get("/staff/lobby-screens").status_code == 403
    caretaker = Browser(app.test_client())
    caretaker.sign_in_staff("gardien")
    refused = caretaker.post(
        "/staff/lobby-screens",
        {"name": "Hall", "building_id": small_estate.building_b},
        form_page="/staff/lobby-screens",
    )
    assert refused.status_code == 422
    empty = caretaker.post("/staff/lobby-screens", {"name": " "}, form_page="/staff/lobby-screens")
    assert empty.status_code == 422
