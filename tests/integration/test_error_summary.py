"""Forms people can finish: everything wrong is said at once, listed at the top where the
page lands, each linked to its field, and what was typed stays."""

import re
from datetime import date, timedelta

from tests.conftest import PIN, Browser
from tests.support.api_client import Api, is_problem


def _summary(page: str) -> list[tuple[str, str]]:
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.DOTALL)
    assert summary, "no error summary"
    assert "autofocus" in summary.group(0) and 'role="alert"' in summary.group(0)
    return re.findall(r'<a href="#(\w+)-error">([^<]+)</a>', summary.group(0))


def test_an_empty_report_form_says_all_that_is_missing_at_once(browser: Browser, small_estate):
    browser.activate(small_estate.codes["A-01"], locale="en")
    refused = browser.post("/reports", {"description": "   "}, form_page="/reports/new")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert [field for field, _message in _summary(page)] == [
        "category",
        "location",
        "description",
    ]
    assert "3 things to correct" in page
    for field in ("category", "location", "description"):
        assert f'id="{field}-error"' in page


def test_a_new_profile_with_two_mistakes_comes_back_once(browser: Browser, small_estate):
    browser.post("/welcome", {"code": small_estate.codes["A-01"]})
    refused = browser.post(
        "/welcome/join",
        {"display_name": "", "locale": "en", "pin": "1111", "pin_confirm": "1111"},
        form_page="/welcome/join",
    )
    assert refused.status_code == 422
    fields = [field for field, _message in _summary(refused.get_data(as_text=True))]
    assert fields == ["display_name", "pin"]


def test_an_event_form_says_all_that_is_wrong_at_once_each_beside_its_field(
    browser: Browser, small_estate
):
    browser.activate(small_estate.codes["A-01"], locale="en")
    yesterday = (date.today() - timedelta(days=1)).strftime("%d/%m/%Y")
    form = {
        "scope": "building",
        "title": "",
        "place": "La cour",
        "day": yesterday,
        "starts": "25:00",
        "ends": "20:00",
        "description": "",
        "capacity": "quatre",
        "organiser": "",
        "charter": "accepted",
    }
    refused = browser.post("/events", form, form_page="/events/new")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert [field for field, _message in _summary(page)] == ["title", "starts", "capacity"]
    in_the_past = browser.post("/events", {**form, "starts": "18:00"}, form_page="/events/new")
    fields = [field for field, _message in _summary(in_the_past.get_data(as_text=True))]
    assert fields == ["title", "starts", "capacity"]
    assert 'id="starts-error"' in in_the_past.get_data(as_text=True)


def test_the_api_names_every_field_refused(app, small_estate):
    api = Api(app.test_client())
    api.post("/session/code", {"code": small_estate.codes["A-01"]})
    api.post(
        "/session/profile",
        {"display_name": "Odette", "locale": "en", "pin": PIN, "pin_confirm": PIN},
    )
    refused = api.post(
        "/reports",
        data={"category": "flood", "location": "roof", "description": ""},
        content_type="multipart/form-data",
    )
    assert is_problem(refused, 422, "category_unknown")
    assert [(e["field"], e["code"]) for e in refused.get_json()["errors"]] == [
        ("category", "category_unknown"),
        ("location", "location_unknown"),
        ("description", "description_missing"),
    ]


def test_an_empty_post_skill_or_request_for_help_says_all_that_is_missing_at_once(
    browser: Browser, small_estate
):
    browser.activate(small_estate.codes["A-01"], locale="en")
    for path, form_page, sent, expected in [
        ("/board", "/board/new", {"scope": "building"}, ["category", "title", "body", "charter"]),
        (
            "/help-each-other",
            "/help-each-other/new",
            {},
            ["kind", "category", "title", "description", "charter"],
        ),
        ("/help", "/help", {}, ["topic", "how"]),
    ]:
        refused = browser.post(path, sent, form_page=form_page)
        assert refused.status_code == 422, path
        listed = [field for field, _message in _summary(refused.get_data(as_text=True))]
        assert sorted(listed) == sorted(expected), path
