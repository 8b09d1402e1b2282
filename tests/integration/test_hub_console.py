"""The hub's console: the same app with role "hub", the operators' fleet, response times.

Reports are written into the hub's database the way they arrive from a box: no profile
behind them, the names of people from the box beside what they wrote.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from core.config import ConfigError, load_config
from core.domain import fleet, side
from core.domain.clock import utcnow
from tests.conftest import Browser
from tests.support.api_client import Api
from tests.support.hub_reports import arrived
from tests.support.openapi_answers import documented_answer, mismatches
from webui import create_app

SIGN_IN = "/staff/sign-in"
GIB = 1024**3


@pytest.fixture
def hub(data_dir, engine, small_estate):
    with engine.begin() as connection:
        side.become_hub(connection)
    app = create_app(
        {
            "data_dir": str(data_dir),
            "database_url": str(engine.url),
            "role": "hub",
            "login_attempts_per_address": 1000,
        }
    )
    app.config["TESTING"] = True
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture
def console(hub) -> Browser:
    return Browser(hub.test_client())


@pytest.fixture
def filed(engine, small_estate) -> dict[str, str]:
    """Reports of both buildings: answered in time, overdue, and one with a photo."""
    with engine.begin() as connection:
        return {
            "answered": arrived(
                connection,
                small_estate,
                1,
                "A",
                timedelta(days=10),
                [("acknowledged", 2), ("resolved", 50)],
                photo=True,
            ),
            "unread": arrived(connection, small_estate, 2, "A", timedelta(days=3)),
            "b_unread": arrived(connection, small_estate, 1, "B", timedelta(days=4)),
        }


@pytest.fixture
def enrolled(engine, small_estate):
    now = utcnow()
    with engine.begin() as connection:
        fleet.enrol(connection, "box-a", "Les Tilleuls A", [small_estate.building_a])
        fleet.enrol(connection, "box-b", "Les Tilleuls B", [small_estate.building_b])
        fleet.enrol(connection, "box-c", "La Savine", [])
        fleet.record_status(connection, "box-a", True, "1.4.0", now - timedelta(minutes=3))
        telemetry = fleet.telemetry_change(
            now - timedelta(minutes=2), "1.4.0", 3600, 12_300_000_000, 2, now
        )
        fleet.record(connection, "box-a", telemetry)
        fleet.record_status(connection, "box-b", False, None, now)
        fleet.record_status(connection, "box-c", True, "1.3.9", now - timedelta(minutes=10))


def test_the_role_is_a_box_or_the_hub(tmp_path):
    assert load_config(environ={})["role"] == "box"
    assert load_config(environ={"RESIDACOEUR_ROLE": "hub"})["role"] == "hub"
    with pytest.raises(ConfigError, match="role"):
        load_config(environ={"RESIDACOEUR_ROLE": "city"})


def test_a_box_serves_tenants_and_staff(browser):
    assert browser.get("/").headers["Location"].startswith("/welcome")
    assert browser.get("/welcome").status_code == 200
    sign_in = browser.get(SIGN_IN).get_data(as_text=True)
    assert 'href="/welcome"' in sign_in


def test_the_hub_serves_staff_and_the_api_but_no_tenant_pages(console):
    home = console.get("/")
    assert home.status_code == 302 and home.headers["Location"] == "/staff/"
    for tenant_page in ("/welcome", "/reports", "/reports/new", "/photos/x.jpg"):
        assert console.get(tenant_page).status_code == 404, tenant_page
    assert console.get("/healthz").status_code == 200
    assert console.get("/api/v1/openapi.json").status_code == 200
    sign_in = console.get(SIGN_IN)
    assert sign_in.status_code == 200
    assert "/welcome" not in sign_in.get_data(as_text=True)
    # An unknown page at the hub offers the way back to the console.
    assert 'href="/staff/"' in console.get("/nowhere").get_data(as_text=True)


@pytest.mark.parametrize("username", ["agent", "gardien", "operateur", "mairie"])
def test_every_page_of_the_staff_menu_opens_at_the_hub(console, filed, enrolled, username):
    console.sign_in_staff(username)
    menu = re.findall(r'href="(/staff/[^"]*)"', console.get("/staff/").get_data(as_text=True))
    for path in dict.fromkeys(menu):
        assert console.get(path).status_code == 200, path


def test_staff_sign_in_and_out_at_the_hub(console):
    assert console.sign_in_staff("agent").headers["Location"] == "/staff/"
    dashboard = console.get("/staff/").get_data(as_text=True)
    assert 'action="/staff/sign-out"' in dashboard
    left = console.post("/staff/sign-out", form_page="/staff/")
    assert left.headers["Location"] == SIGN_IN
    assert console.get("/staff/").headers["Location"].startswith(SIGN_IN)


def test_staff_switch_language_and_text_size_at_the_hub(console):
    console.sign_in_staff("agent")
    chosen = console.post(
        "/preferences/language", {"locale": "ar", "next": "/staff/reports"}, form_page="/staff/"
    )
    assert chosen.headers["Location"] == "/staff/reports"
    assert 'lang="ar" dir="rtl"' in console.get("/staff/").get_data(as_text=True)
    bigger = console.post("/preferences/text-size", {"size": "1"}, form_page="/staff/")
    assert bigger.headers["Location"] == "/staff/"


def test_an_agent_handles_reports_from_boxes_at_the_hub(console, filed):
    console.sign_in_staff("agent")
    listing = console.get("/staff/reports").get_data(as_text=True)
    assert f"/staff/reports/{filed['unread']}" in listing
    page = console.get(f"/staff/reports/{filed['answered']}").get_data(as_text=True)
    assert "Odette" in page and "Agent Dupont" in page
    assert 'action="/staff/reports/' in page
    photo = re.search(r'src="(/staff/photos/\w+\.jpg)"', page)
    assert photo and console.get(photo[1]).mimetype == "image/jpeg"


def test_staff_photos_are_those_of_their_buildings_only(console, filed):
    console.sign_in_staff("agent")
    page = console.get(f"/staff/reports/{filed['answered']}").get_data(as_text=True)
    photo = re.search(r'src="(/staff/photos/\w+\.jpg)"', page)[1]
    console.post("/staff/sign-out", form_page="/staff/")
    console.sign_in_staff("agent.b")
    assert console.get(photo).status_code == 404


def test_operators_see_the_fleet_offline_first_in_words(console, enrolled):
    console.sign_in_staff("operateur")
    dashboard = console.get("/staff/").get_data(as_text=True)
    assert 'href="/staff/fleet"' in dashboard
    page = console.get("/staff/fleet").get_data(as_text=True)
    rows = re.findall(r'<th scope="row"><a href="/staff/fleet/[^"]+">([^<]+)</a><br>', page)
    assert rows == ["Les Tilleuls B", "La Savine", "Les Tilleuls A"]
    states = re.findall(r'link-state--(\w+)"><svg[^>]*>.*?</svg><span>([^<]+)</span>', page)
    assert states == [("offline", "Offline"), ("silent", "Silent"), ("online", "Online")]
    assert "2 minutes ago" in page and "10 minutes ago" in page
    assert "12.3 GB" in page and "Bâtiment A" in page and "No building" in page


def test_operators_see_which_boxes_are_nearly_out_of_disk_space(console, engine, enrolled):
    with engine.begin() as connection:
        # Under the reserve below which a box refuses its tenants' writes (256 MiB).
        fleet.record(connection, "box-c", {"disk_free_bytes": 150_000_000})
    console.sign_in_staff("operateur")
    page = console.get("/staff/fleet").get_data(as_text=True)
    assert "1 is nearly out of disk space." in page
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    low = [re.search(r"/staff/fleet/([\w-]+)", row)[1] for row in rows if "Nearly full" in row]
    assert low == ["box-c"]
    assert "150 MB" in page and "12.3 GB" in page
    box_page = console.get("/staff/fleet/box-c").get_data(as_text=True)
    assert "Disk space free" in box_page and "150 MB" in box_page
    assert "Nearly full" in box_page


def test_the_fleet_is_for_operators_only(console, enrolled):
    console.sign_in_staff("agent")
    assert 'href="/staff/fleet"' not in console.get("/staff/").get_data(as_text=True)
    assert console.get("/staff/fleet").status_code == 403
    assert console.get("/api/v1/fleet").status_code == 403


def test_a_box_has_no_fleet_in_its_menu(browser):
    browser.sign_in_staff("operateur")
    assert "/staff/fleet" not in browser.get("/staff/").get_data(as_text=True)


def test_the_fleet_in_json_has_its_documented_shape(hub, enrolled):
    operator = Api(hub.test_client())
    operator.sign_in_staff("operateur")
    document = json.loads(operator.get("/openapi.json").get_data(as_text=True))
    answer = operator.get("/fleet")
    assert (
        mismatches(
            document, answer.get_json(), documented_answer(document, "get", "/fleet", answer)
        )
        == []
    )
    boxes = answer.get_json()["boxes"]
    assert [(b["id"], b["online"], b["stale"]) for b in boxes] == [
        ("box-b", False, False),
        ("box-c", True, True),
        ("box-a", True, False),
    ]
    assert boxes[2]["disk_free_bytes"] == 12_300_000_000 and boxes[2]["outbox_depth"] == 2


def test_agents_see_response_times_and_overdue_reports_of_their_buildings(console, filed):
    console.sign_in_staff("agent")
    assert 'href="/staff/response-times"' in console.get("/staff/").get_data(as_text=True)
    page = console.get("/staff/response-times").get_data(as_text=True)
    overdue = re.findall(r'href="/staff/reports/(\w+)"', page)
    assert overdue == [filed["b_unread"], filed["unread"]]
    # One report a building: counted, but too few for a median.
    assert "Too few reports for a figure" in page and "2 days 2 hours" not in page
    console.post("/staff/sign-out", form_page="/staff/")
    console.sign_in_staff("agent.b")
    page = console.get("/staff/response-times?days=30").get_data(as_text=True)
    assert re.findall(r'href="/staff/reports/(\w+)"', page) == [filed["b_unread"]]
    assert "Bâtiment A" not in page


def test_response_times_in_json_have_their_documented_shape(hub, filed):
    agent = Api(hub.test_client())
    agent.sign_in_staff("agent")
    document = json.loads(agent.get("/openapi.json").get_data(as_text=True))
    answer = agent.get("/response-times?days=365")
    schema = documented_answer(document, "get", "/response-times", answer)
    assert mismatches(document, answer.get_json(), schema) == []
    found = answer.get_json()
    assert found["days"] == 365
    building_a = found["by_building"][0]
    assert found["fewest_for_times"] == 5
    assert building_a["to_acknowledge"] == {"count": 1, "median_s": None, "p90_s": None}
    assert building_a["to_resolve"] == {"count": 1, "median_s": None, "p90_s": None}
    assert [(late["number"], late["reason"]) for late in found["overdue"]] == [
        (1, "not_acknowledged"),
        (2, "not_acknowledged"),
    ]
    refused = agent.get("/response-times?days=12")
    assert refused.status_code == 422 and refused.get_json()["field"] == "days"


def test_response_times_are_not_for_operators(hub):
    operator = Api(hub.test_client())
    operator.sign_in_staff("operateur")
    assert operator.get("/response-times").status_code == 403


@pytest.mark.parametrize("username", ["agent", "operateur"])
def test_dwellings_and_codes_are_managed_on_the_box_not_at_the_hub(console, browser, username):
    console.sign_in_staff(username)
    assert console.get("/staff/dwellings").status_code == 403
    assert "/staff/dwellings" not in console.get("/staff/").get_data(as_text=True)
    browser.sign_in_staff(username)
    assert browser.get("/staff/dwellings").status_code == 200


def test_first_steps_sessions_are_organised_on_the_box_not_at_the_hub(console, browser):
    console.sign_in_staff("mediatrice")
    assert console.get("/staff/sessions").status_code == 403
    home = console.get("/staff/").get_data(as_text=True)
    assert "/staff/sessions" not in home and "You have no session planned." not in home
    browser.sign_in_staff("mediatrice")
    assert browser.get("/staff/sessions").status_code == 200
