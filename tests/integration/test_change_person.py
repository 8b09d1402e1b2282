"""A household shares a phone: "Change person" hands it over without the letter, and
signing out of the device, which would need the letter again, asks first."""

from core.domain import access_codes, people
from tests.conftest import PIN, Browser


def _add_member(engine, pepper, small_estate, name: str, pin: str) -> str:
    with engine.begin() as connection:
        code = access_codes.find(connection, pepper, small_estate.codes["A-01"])
        return people.create_profile(
            connection, code["id"], small_estate.dwellings["A-01"], name, "en", pin, pin
        )


def test_another_member_takes_the_phone_with_their_own_pin(
    browser: Browser, engine, pepper, small_estate
):
    browser.activate(small_estate.codes["A-01"], "Odette", locale="en")
    karim = _add_member(engine, pepper, small_estate, "Karim", "4821")
    home = browser.get("/").get_data(as_text=True)
    assert "Change person" in home and 'action="/sign-out"' not in home
    handed = browser.post("/welcome/change-person", form_page="/")
    assert handed.headers["Location"].endswith("/welcome/who")
    who = browser.get("/welcome/who").get_data(as_text=True)
    assert "Odette" in who and "Karim" in who
    # Signed out: the pages need someone again.
    assert browser.get("/").status_code == 302
    wrong = browser.post(f"/welcome/who/{karim}", {"pin": PIN}, form_page="/welcome/who")
    assert wrong.status_code == 422
    entered = browser.post(f"/welcome/who/{karim}", {"pin": "4821"}, form_page="/welcome/who")
    assert entered.status_code == 302
    assert "Karim" in browser.get("/").get_data(as_text=True)


def test_signing_out_of_the_device_asks_first_and_then_needs_the_letter(
    browser: Browser, small_estate
):
    browser.activate(small_estate.codes["A-01"], "Odette", locale="en")
    profile = browser.get("/me").get_data(as_text=True)
    assert 'href="/sign-out"' in profile
    confirm = browser.get("/sign-out").get_data(as_text=True)
    assert "you will need the landlord's letter" in confirm.replace("&#39;", "'")
    assert browser.post("/sign-out", form_page="/sign-out").status_code == 302
    assert browser.get("/welcome/who").headers["Location"].endswith("/welcome")


def test_a_household_that_moved_out_no_longer_holds_the_device(
    browser: Browser, engine, small_estate
):
    browser.activate(small_estate.codes["A-01"], "Odette", locale="en")
    browser.post("/welcome/change-person", form_page="/")
    with engine.begin() as connection:
        access_codes.revoke(connection, small_estate.dwellings["A-01"])
    assert browser.get("/welcome/who").headers["Location"].endswith("/welcome")
