"""Signing in and out through the JSON API, with the pages' cookie, CSRF token and limits."""

from __future__ import annotations

import pytest

from tests.conftest import PIN
from tests.support.api_client import PREFIX, Api, is_problem


@pytest.fixture
def api(app) -> Api:
    return Api(app.test_client())


@pytest.fixture
def other_api(app) -> Api:
    return Api(app.test_client())


def test_nobody_is_signed_in_at_first_and_a_csrf_token_is_given(api, small_estate):
    state = api.get("/session").get_json()
    assert state["signed_in"] is None
    assert state["profile"] is None and state["staff"] is None
    assert state["csrf_token"]
    assert state["locale"] == "fr"


def test_the_first_member_activates_the_code_and_is_signed_in(api, small_estate):
    household = api.post("/session/code", {"code": small_estate.codes["A-01"]})
    assert household.get_json() == {
        "members": [],
        "first": True,
        "may_join": True,
        "needs_a_member": False,
    }
    created = api.post(
        "/session/profile",
        {"display_name": "Odette", "locale": "ar", "pin": PIN, "pin_confirm": PIN},
    )
    assert created.status_code == 201
    state = created.get_json()
    assert state["signed_in"] == "tenant"
    assert state["profile"]["display_name"] == "Odette"
    assert state["locale"] == "ar"
    assert api.get("/me").get_json()["dwelling"]["reference"] == "A-01"


def test_the_token_given_at_sign_in_is_the_one_accepted_next(api, small_estate):
    old_token = api.get("/session").get_json()["csrf_token"]
    api.activate(small_estate.codes["A-01"])
    assert api.token != old_token
    assert api.patch("/me", {"text_size": 2}).status_code == 200
    stale = api.client.patch(
        PREFIX + "/me", json={"text_size": 1}, headers={"X-CSRFToken": old_token}
    )
    assert is_problem(stale, 400, "csrf_failed")


def test_another_device_signs_in_with_the_code_a_name_and_the_pin(api, other_api, small_estate):
    api.activate(small_estate.codes["A-01"], name="Odette")
    household = other_api.post("/session/code", {"code": small_estate.codes["A-01"]}).get_json()
    assert [m["display_name"] for m in household["members"]] == ["Odette"]
    assert household["first"] is False
    odette = household["members"][0]["id"]
    wrong = other_api.post("/session/pin", {"profile_id": odette, "pin": "9999"})
    assert is_problem(wrong, 422, "pin_wrong")
    assert wrong.get_json()["field"] == "pin"
    right = other_api.post("/session/pin", {"profile_id": odette, "pin": PIN})
    assert right.status_code == 200
    assert right.get_json()["profile"]["id"] == odette


def test_a_wrong_code_is_refused_with_the_field_named(api, small_estate):
    response = api.post("/session/code", {"code": "K7QM-4RZT-9XPD"})
    assert is_problem(response, 422, "code_unknown")
    assert response.get_json()["field"] == "code"


def test_a_pin_or_a_profile_before_any_code_asks_for_the_code(api, small_estate):
    assert is_problem(api.post("/session/pin", {"profile_id": "x", "pin": PIN}), 401, "code_first")
    profile = {"display_name": "Odette", "locale": "fr", "pin": PIN, "pin_confirm": PIN}
    assert is_problem(api.post("/session/profile", profile), 401, "code_first")


def test_too_many_wrong_pins_for_a_household_are_refused_with_retry_after(
    api, other_api, small_estate
):
    api.activate(small_estate.codes["A-02"])
    other_api.post("/session/code", {"code": small_estate.codes["A-02"]})
    member = api.get("/me").get_json()["id"]
    for _ in range(5):
        assert (
            other_api.post("/session/pin", {"profile_id": member, "pin": "1357"}).status_code == 422
        )
    refused = other_api.post("/session/pin", {"profile_id": member, "pin": PIN})
    assert is_problem(refused, 429, "too_many_attempts")
    assert int(refused.headers["Retry-After"]) > 0


def test_staff_sign_in_with_username_and_password(api, small_estate):
    response = api.sign_in_staff("agent")
    state = response.get_json()
    assert response.status_code == 200
    assert state["signed_in"] == "staff"
    assert state["staff"]["role"] == "landlord_agent"
    assert "handle_reports" in state["staff"]["permissions"]
    assert {b["name"] for b in state["staff"]["buildings"]} == {"Bâtiment A", "Bâtiment B"}


def test_a_wrong_staff_password_is_refused_then_rate_limited(api, small_estate):
    wrong = api.sign_in_staff("agent", "not the password")
    assert is_problem(wrong, 422, "credentials_wrong")
    for _ in range(4):
        api.sign_in_staff("agent", "not the password")
    refused = api.sign_in_staff("agent")
    assert is_problem(refused, 429)
    assert "Retry-After" in refused.headers


def test_signing_out_ends_the_session_and_keeps_the_language(api, small_estate):
    api.activate(small_estate.codes["A-01"], locale="en")
    state = api.delete("/session").get_json()
    assert state["signed_in"] is None
    assert state["locale"] == "en"
    assert is_problem(api.get("/me"), 401, "not_signed_in")


def test_an_api_sign_in_opens_the_pages_too(api, small_estate):
    api.activate(small_estate.codes["A-01"], name="Odette")
    home = api.client.get("/")
    assert home.status_code == 200
    assert "Odette" in home.get_data(as_text=True)


def test_a_device_chooses_its_language_before_signing_in(api, small_estate):
    state = api.patch("/session", {"locale": "ar"}).get_json()
    assert state["locale"] == "ar"
    assert api.get("/session").headers["Content-Language"] == "ar"
    assert is_problem(api.patch("/session", {"locale": "xx"}), 422, "locale_unknown")


def test_every_change_without_the_csrf_header_is_refused(api, small_estate):
    api.activate(small_estate.codes["A-01"])
    for method, path in [
        ("POST", "/session/code"),
        ("PATCH", "/session"),
        ("DELETE", "/session"),
        ("PATCH", "/me"),
        ("POST", "/reports"),
        ("POST", "/staff/news"),
    ]:
        response = api.client.open(PREFIX + path, method=method, json={"locale": "en"})
        assert is_problem(response, 400, "csrf_failed"), (method, path)
    assert api.get("/me").get_json()["locale"] == "fr"
