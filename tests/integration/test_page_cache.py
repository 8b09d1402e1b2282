"""Reused tenant pages never show something stale, someone else's, or a foreign CSRF token."""

import re

from core.domain import news, people, reports
from core.domain import report_status as rs
from tests.conftest import PIN

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_a_change_written_elsewhere_shows_on_the_next_visit(browser, engine, small_estate):
    browser.activate(small_estate.codes["A-01"])
    assert "Ascenseur en révision" not in browser.get("/").get_data(as_text=True)
    with engine.begin() as connection:
        news.publish(
            connection,
            small_estate.publishers["landlord"],
            "Ascenseur en révision",
            "Lundi.",
            "building",
            small_estate.building_a,
        )
    assert "Ascenseur en révision" in browser.get("/").get_data(as_text=True)


def test_the_agents_answer_shows_on_a_page_seen_just_before(browser, engine, small_estate):
    browser.activate(small_estate.codes["A-01"])
    filed = browser.post(
        "/reports",
        {"category": "lift", "location": "lift", "description": "Bloqué"},
        form_page="/reports/new",
    )
    page = filed.headers["Location"]
    browser.get(page)
    assert "status--acknowledged" not in browser.get(page).get_data(as_text=True)
    with engine.begin() as connection:
        agent = people.get_staff(connection, small_estate.staff["agent"])
        reports.move(connection, agent, page.rsplit("/", 1)[1], rs.ACKNOWLEDGED, "Vu")
    assert "status--acknowledged" in browser.get(page).get_data(as_text=True)


def test_each_person_gets_their_own_page(browser, other_browser, small_estate):
    browser.activate(small_estate.codes["A-01"], name="Odette")
    other_browser.activate(small_estate.codes["A-02"], name="Karim")
    assert "Odette" in browser.get("/").get_data(as_text=True)
    karim = other_browser.get("/").get_data(as_text=True)
    assert "Karim" in karim and "Odette" not in karim


def test_two_devices_of_one_person_each_get_forms_they_can_send(app, small_estate):
    from tests.conftest import Browser

    phone, tablet = Browser(app.test_client()), Browser(app.test_client())
    phone.activate(small_estate.codes["A-01"], name="Odette")
    phone.get("/")
    tablet.post("/welcome", {"code": small_estate.codes["A-01"]})
    who = tablet.get("/welcome/who").get_data(as_text=True)
    profile = re.search(r'href="/welcome/who/([0-9a-f]+)"', who).group(1)
    tablet.post(f"/welcome/who/{profile}", {"pin": PIN}, form_page=f"/welcome/who/{profile}")
    home = tablet.get("/").get_data(as_text=True)
    token = _TOKEN.search(home).group(1)
    changed = tablet.client.post("/preferences/text-size", data={"csrf_token": token, "size": "1"})
    assert changed.status_code == 302


def test_a_message_shown_once_is_not_kept_in_a_reused_page(browser, small_estate):
    browser.activate(small_estate.codes["A-01"])
    filed = browser.post(
        "/reports",
        {"category": "lift", "location": "lift", "description": "Bloqué"},
        form_page="/reports/new",
    )
    first = browser.get(filed.headers["Location"]).get_data(as_text=True)
    again = browser.get(filed.headers["Location"]).get_data(as_text=True)
    assert 'role="status"' in first or "notice--success" in first
    assert "notice--success" not in again
