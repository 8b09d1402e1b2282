"""Events and the skills exchange through the portal's pages: organise, reply within the
places left, get the calendar file; offer help and be written to."""

import html
import re
from datetime import date, timedelta

from tests.browser.words import translated, translated_plural
from tests.conftest import Browser


def _organise(browser, **fields):
    day = date.today() + timedelta(days=3)
    data = {
        "scope": "residence",
        "title": "Fête des voisins",
        "place": "La cour",
        "day": day.strftime("%d/%m/%Y"),
        "starts": "18:30",
        "ends": "23h00",
        "description": "Chacun apporte un plat.",
        "capacity": "4",
        "organiser": "Comité des Tilleuls",
        "charter": "accepted",
        **fields,
    }
    return browser.post("/events", data, form_page="/events/new")


def test_an_event_is_organised_replied_to_and_full_at_its_capacity(app, browser, small_estate):
    browser.activate(small_estate.codes["A-01"], "Odette")
    refused = _organise(browser, starts="25:00", capacity="quatre")
    assert refused.status_code == 422
    assert 'value="Fête des voisins"' in refused.get_data(as_text=True)
    created = _organise(browser)
    assert created.status_code == 302
    event_url = created.headers["Location"]

    in_b = Browser(app.test_client())
    in_b.activate(small_estate.codes["B-01"], "Samia")
    listed = in_b.get("/events").get_data(as_text=True)
    assert "Fête des voisins" in listed
    page = in_b.get(event_url).get_data(as_text=True)
    assert "Comité des Tilleuls" in page
    assert translated_plural("fr", "%(num)d place left", "%(num)d places left", 4) in page
    too_many = in_b.post(
        f"{event_url}/reply", {"people": "5", "action": "come"}, form_page=event_url
    )
    assert too_many.status_code == 422
    replied = in_b.post(
        f"{event_url}/reply", {"people": "3", "action": "come"}, form_page=event_url
    )
    assert replied.status_code == 302
    assert translated_plural("fr", "%(num)d place left", "%(num)d places left", 1) in browser.get(
        event_url
    ).get_data(as_text=True)

    month = in_b.get(f"/events?view=month&month={(date.today() + timedelta(days=3)):%Y-%m}")
    assert "Fête des voisins" in month.get_data(as_text=True)
    ics = in_b.get(f"{event_url}.ics")
    assert ics.mimetype == "text/calendar"
    assert b"SUMMARY:F\xc3\xaate des voisins" in ics.data and b"DTSTART:" in ics.data


def test_the_building_calendar_opens_with_its_address_only(app, browser, small_estate):
    browser.activate(small_estate.codes["A-01"], "Odette")
    _organise(browser)
    page = browser.get("/events").get_data(as_text=True)
    feed = re.search(r"http://localhost(/calendars/\w+/\w+\.ics)", page).group(1)
    stranger = app.test_client()
    answer = stranger.get(feed)
    assert answer.status_code == 200 and b"BEGIN:VEVENT" in answer.data
    assert stranger.get(feed.replace(feed.split("/")[3], "0" * 32 + ".ics")).status_code == 404


def test_the_organiser_cancels_and_those_coming_are_told(app, browser, small_estate):
    browser.activate(small_estate.codes["A-01"], "Odette")
    event_url = _organise(browser).headers["Location"]
    guest = Browser(app.test_client())
    guest.activate(small_estate.codes["A-02"], "Karim")
    guest.post(f"{event_url}/reply", {"people": "2", "action": "come"}, form_page=event_url)
    assert guest.post(f"{event_url}/cancel", form_page=event_url).status_code == 403
    cancelled = browser.post(f"{event_url}/cancel", form_page=f"{event_url}/cancel")
    assert cancelled.status_code == 302
    told = html.unescape(guest.get("/notifications").get_data(as_text=True))
    # The title people wrote keeps its own direction inside the sentence (<bdi>).
    cancelled = "The event “%(title)s” is cancelled."
    assert translated("fr", cancelled, title="<bdi>Fête des voisins</bdi>") in told


def test_an_offer_of_help_is_seen_by_neighbours_who_write_to_its_author(app, browser, small_estate):
    browser.activate(small_estate.codes["A-01"], "Odette")
    refused = browser.post(
        "/help-each-other",
        {"kind": "offer", "category": "computer", "title": "Aide au téléphone", "description": ""},
        form_page="/help-each-other/new",
    )
    assert refused.status_code == 422
    assert 'value="Aide au téléphone"' in refused.get_data(as_text=True)
    browser.post(
        "/help-each-other",
        {
            "kind": "offer",
            "category": "computer",
            "title": "Aide au téléphone",
            "description": "Le soir après 18 h.",
            "charter": "accepted",
        },
        form_page="/help-each-other/new",
    )
    neighbour = Browser(app.test_client())
    neighbour.activate(small_estate.codes["B-01"], "Samia")
    listed = neighbour.get("/help-each-other?kind=offer&category=computer").get_data(as_text=True)
    assert "Aide au téléphone" in listed and "Odette" in listed
    assert "Aide au téléphone" not in neighbour.get("/help-each-other?kind=request").get_data(
        as_text=True
    )
    assert re.search(r"/messages/new\?to=\w+", listed)
