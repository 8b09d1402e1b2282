"""The digital mediator's first-steps sessions through the staff pages: organise one in
their building, see it with who comes, change or cancel it; tenants see it in their events;
the home page shows the next ones."""

import re
from datetime import date, timedelta

from core.domain import people
from tests.conftest import STAFF_PASSWORD, Browser

SESSIONS = "/staff/sessions"
FORM = "/staff/sessions/new"


def _day(in_days: int = 3) -> str:
    return (date.today() + timedelta(days=in_days)).strftime("%d/%m/%Y")


def _organise(browser: Browser, **fields):
    data = {
        "building_id": "",
        "scope": "building",
        "title": "Apprendre le portail",
        "place": "Salle commune",
        "day": _day(),
        "starts": "14:00",
        "ends": "16:00",
        "description": "Venez avec votre téléphone.",
        "capacity": "6",
        "organiser": "Leïla, médiatrice",
        **fields,
    }
    return browser.post(SESSIONS, data, form_page=FORM)


def _summary_fields(page: str) -> list[str]:
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.DOTALL)
    assert summary, "no error summary"
    return re.findall(r'<a href="#(\w+)-error">', summary.group(0))


def _tenant(app, code: str, name: str) -> Browser:
    tenant = Browser(app.test_client())
    tenant.activate(code, name)
    return tenant


def test_a_session_for_the_building_is_listed_and_reaches_its_tenants_only(
    app, browser, small_estate
):
    browser.sign_in_staff("mediatrice")
    created = _organise(browser, building_id=small_estate.building_a)
    assert created.status_code == 302
    assert created.headers["Location"].endswith(SESSIONS)

    listed = browser.get(SESSIONS).get_data(as_text=True)
    assert "Apprendre le portail" in listed
    assert "Salle commune" in listed
    assert "The tenants of the building — Bâtiment A" in listed
    assert "0 people said they would come" in listed
    assert "6 places left" in listed

    in_a = _tenant(app, small_estate.codes["A-01"], "Odette")
    events_a = in_a.get("/events").get_data(as_text=True)
    assert "Apprendre le portail" in events_a
    event_url = re.search(r'href="(/events/\w{32})"', events_a).group(1)
    assert "Leïla, médiatrice" in in_a.get(event_url).get_data(as_text=True)
    replied = in_a.post(
        f"{event_url}/reply", {"people": "2", "action": "come"}, form_page=event_url
    )
    assert replied.status_code == 302

    in_b = _tenant(app, small_estate.codes["B-01"], "Samia")
    assert "Apprendre le portail" not in in_b.get("/events").get_data(as_text=True)

    listed = browser.get(SESSIONS).get_data(as_text=True)
    assert "2 people said they would come" in listed
    assert "4 places left" in listed


def test_a_session_for_the_residence_reaches_the_other_building(app, browser, small_estate):
    browser.sign_in_staff("mediatrice")
    _organise(browser, building_id=small_estate.building_a, scope="residence", capacity="")
    assert "The whole residence — Bâtiment A" in browser.get(SESSIONS).get_data(as_text=True)
    in_b = _tenant(app, small_estate.codes["B-01"], "Samia")
    assert "Apprendre le portail" in in_b.get("/events").get_data(as_text=True)


def test_the_form_lists_every_mistake_at_once_and_keeps_what_was_typed(browser, small_estate):
    browser.sign_in_staff("mediatrice")
    form = browser.get(FORM).get_data(as_text=True)
    assert 'value="Mediatrice"' in form, "the organiser is the mediator unless changed"
    refused = _organise(
        browser,
        building_id=small_estate.building_a,
        title="",
        day="32/13/2026",
        ends="25h",
        capacity="six",
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert _summary_fields(page) == ["title", "day", "ends", "capacity"]
    assert "4 things to correct" in page
    assert 'value="Salle commune"' in page and 'value="six"' in page

    too_early = _organise(browser, building_id=small_estate.building_a, day=_day(-1), place="")
    assert _summary_fields(too_early.get_data(as_text=True)) == ["place", "starts"]
    assert "Apprendre le portail" not in browser.get(SESSIONS).get_data(as_text=True)


def test_a_session_in_a_building_not_of_the_mediator_is_refused(browser, small_estate):
    browser.sign_in_staff("mediatrice")
    refused = _organise(browser, building_id=small_estate.building_b)
    assert refused.status_code == 422
    assert _summary_fields(refused.get_data(as_text=True)) == ["building_id"]


def test_other_roles_cannot_organise_sessions(browser, small_estate):
    browser.sign_in_staff("agent")
    assert browser.get(SESSIONS).status_code == 403
    assert browser.get(FORM).status_code == 403
    assert _organise(browser, building_id=small_estate.building_a).status_code == 403
    assert SESSIONS not in browser.get("/staff/").get_data(as_text=True)


def test_the_mediator_changes_then_cancels_a_session_and_tenants_see_it(app, browser, small_estate):
    browser.sign_in_staff("mediatrice")
    _organise(browser, building_id=small_estate.building_a)
    listed = browser.get(SESSIONS).get_data(as_text=True)
    change = re.search(r'href="(/staff/sessions/\w{32}/change)"', listed).group(1)
    form = browser.get(change).get_data(as_text=True)
    assert 'value="Apprendre le portail"' in form and 'value="14:00"' in form
    changed = browser.post(
        change,
        {
            "title": "Appeler sa famille en vidéo",
            "place": "Salle commune",
            "day": _day(4),
            "starts": "10:00",
            "ends": "11:30",
            "description": "",
            "capacity": "",
        },
        form_page=change,
    )
    assert changed.status_code == 302
    listed = browser.get(SESSIONS).get_data(as_text=True)
    assert "Appeler sa famille en vidéo" in listed and "places left" not in listed

    cancel = change.replace("/change", "/cancel")
    assert browser.post(cancel, form_page=cancel).status_code == 302
    assert "Appeler sa famille en vidéo" not in browser.get(SESSIONS).get_data(as_text=True)
    in_a = _tenant(app, small_estate.codes["A-01"], "Odette")
    assert "Appeler sa famille en vidéo" in in_a.get("/events").get_data(as_text=True)


def test_the_mediator_home_shows_the_next_sessions_or_that_there_is_none(browser, small_estate):
    browser.sign_in_staff("mediatrice")
    home = browser.get("/staff/").get_data(as_text=True)
    assert "You have no session planned." in home
    assert f'href="{FORM}"' in home
    for in_days, title in [(5, "Quatrième"), (1, "Première"), (2, "Deuxième"), (3, "Troisième")]:
        _organise(browser, building_id=small_estate.building_a, title=title, day=_day(in_days))
    home = browser.get("/staff/").get_data(as_text=True)
    assert "You have no session planned." not in home
    shown = re.findall(r"(Première|Deuxième|Troisième|Quatrième)", home)
    assert shown == ["Première", "Deuxième", "Troisième"]
    assert f'href="{SESSIONS}"' in home
    assert "0 people said they would come" in home


def test_the_audit_log_names_the_session_organised(browser, other_browser, small_estate):
    browser.sign_in_staff("mediatrice")
    _organise(browser, building_id=small_estate.building_a)
    other_browser.sign_in_staff("operateur")
    log = other_browser.get("/staff/audit").get_data(as_text=True)
    assert "Organised a first-steps session" in log
    assert "An event" in log and "Apprendre le portail" in log


def test_a_mediator_of_two_buildings_chooses_where_the_session_is(
    app, browser, engine, small_estate
):
    with engine.begin() as connection:
        people.create_staff(
            connection,
            "mediateur.ab",
            "Yacine",
            STAFF_PASSWORD,
            "mediator",
            [small_estate.building_a, small_estate.building_b],
            locale="en",
        )
    browser.sign_in_staff("mediateur.ab")
    form = browser.get(FORM).get_data(as_text=True)
    assert "In which building" in form
    assert f'value="{small_estate.building_b}"' in form
    _organise(browser, building_id=small_estate.building_b, organiser="")
    assert "The tenants of the building — Bâtiment B" in browser.get(SESSIONS).get_data(
        as_text=True
    )
    in_b = _tenant(app, small_estate.codes["B-01"], "Samia")
    events_b = in_b.get("/events").get_data(as_text=True)
    event_url = re.search(r'href="(/events/\w{32})"', events_b).group(1)
    assert "Yacine" in in_b.get(event_url).get_data(as_text=True)
