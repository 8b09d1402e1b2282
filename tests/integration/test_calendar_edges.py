"""Days and moments at the ends of the calendar never break a page.

The API takes any ISO 8601 instant, and Python's dates stop at 9999-12-31: a moment in
the last hours of year 9999 cannot be moved to the building's clock, nor can a day of
year 1 be moved to UTC. One person writing such a date must not break a page that the
whole building reads.
"""

from __future__ import annotations

LAST_HOUR = {"starts_at": "9999-12-31T22:00:00Z", "ends_at": "9999-12-31T23:30:00Z"}


def _accept_charter(tenant) -> None:
    offer = {"kind": "offer", "category": "homework", "title": "Maths", "description": "Le soir."}
    assert tenant.post("/skills", {**offer, "accept_charter": True}).status_code == 201


def test_an_event_in_the_last_hour_of_the_calendar_leaves_the_events_pages_open(
    tenant_of, small_estate, browser
):
    tenant = tenant_of("A-01")
    _accept_charter(tenant)
    event = {"scope": "building", "title": "Toujours", "place": "La cour", **LAST_HOUR}
    organised = tenant.post("/events", event)
    assert organised.status_code == 201
    browser.activate(small_estate.codes["A-02"], name="Karim")
    assert browser.get("/events").status_code == 200
    assert browser.get(f"/events/{organised.get_json()['id']}").status_code == 200


def test_news_shown_until_the_end_of_the_calendar_opens(staff, small_estate, browser):
    agent = staff("agent")
    published = agent.post(
        "/staff/news",
        data={
            "building_id": small_estate.building_a,
            "scope": "building",
            "title": "Pour toujours",
            "body": "Le local vélo reste ouvert.",
            "expires_at": "9999-12-31T23:59:59Z",
        },
        content_type="multipart/form-data",
    )
    assert published.status_code == 201
    news_id = published.get_json()["id"]
    browser.activate(small_estate.codes["A-01"])
    assert browser.get(f"/news/{news_id}").status_code == 200
    # The API's session is the pages' own: the agent opens the form to change it.
    assert agent.client.get(f"/staff/news/{news_id}/change").status_code == 200


def test_a_day_in_the_first_or_last_year_of_the_calendar_is_refused_as_mistyped(
    small_estate, browser
):
    browser.activate(small_estate.codes["A-01"])
    typed = {
        "title": "Fête",
        "description": "",
        "place": "La cour",
        "capacity": "",
        "scope": "building",
        "organiser": "Odette",
        "accept_charter": "y",
    }
    # Midnight of year 1 is still year 0 in UTC; an evening ending after midnight on the
    # last day of year 9999 ends in year 10000.
    for day, starts, ends in [("01/01/0001", "00:00", "01:00"), ("31/12/9999", "23:00", "01:00")]:
        sent = {**typed, "day": day, "starts": starts, "ends": ends}
        refused = browser.post("/events", sent, form_page="/events/new")
        assert refused.status_code == 422, day
        assert "25/03/2025" in refused.get_data(as_text=True)


def test_a_moment_the_zone_carries_out_of_the_calendar_is_a_clear_refusal(tenant_of):
    tenant = tenant_of("A-01")
    edge = "0001-01-01T00:00:00+23:59"
    answer = tenant.post(
        "/events",
        {"title": "Fête", "place": "Hall", "scope": "building", "starts_at": edge, "ends_at": edge},
    )
    assert answer.status_code == 422
    assert answer.get_json()["field"] == "starts_at"
