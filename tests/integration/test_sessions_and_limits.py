"""Sessions end when they should, on every device, and sign-in limits cannot be reset or
turned against the account's owner."""

from __future__ import annotations

import statistics
import time

import pytest

from core.domain import access_codes, people
from core.storage.engine import writing
from tests.conftest import PIN, Browser

WRONG_PIN = "9999" if PIN != "9999" else "1111"


@pytest.fixture
def limited_app(data_dir, engine):
    """The web service with the real limits: 10 per address, 5 per member or account."""
    from webui import create_app

    app = create_app({"data_dir": str(data_dir)})
    app.config["TESTING"] = True
    yield app
    app.extensions["engine"].dispose()


def _browser(app, address: str = "10.0.0.1") -> Browser:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return Browser(client)


def _copy_cookies(source: Browser, target: Browser) -> None:
    for cookie in source.client._cookies.values():
        target.client.set_cookie(cookie.key, cookie.value, domain=cookie.domain)


def _signed_in(browser: Browser) -> bool:
    return browser.get("/").status_code == 200


def test_signing_out_ends_the_session_on_a_copy_of_the_cookie(app, small_estate):
    phone, copy = _browser(app), _browser(app)
    phone.activate(small_estate.codes["A-01"])
    _copy_cookies(phone, copy)
    assert _signed_in(copy)
    phone.post("/sign-out", form_page="/")
    assert not _signed_in(phone)
    assert not _signed_in(copy)


def test_a_new_code_ends_the_household_s_sessions_on_every_device(
    app, engine, small_estate, pepper
):
    phone, tablet, neighbour = _browser(app), _browser(app), _browser(app)
    phone.activate(small_estate.codes["A-01"])
    _copy_cookies(phone, tablet)
    neighbour.activate(small_estate.codes["A-02"])
    with writing(engine) as connection:
        access_codes.issue(connection, pepper, small_estate.dwellings["A-01"])
    assert not _signed_in(phone) and not _signed_in(tablet)
    assert _signed_in(neighbour)


def test_a_code_typed_before_it_was_replaced_is_worth_nothing_after(
    app, engine, small_estate, pepper
):
    stranger = _browser(app)
    stranger.post("/welcome", {"code": small_estate.codes["A-01"]})
    with writing(engine) as connection:
        access_codes.issue(connection, pepper, small_estate.dwellings["A-01"])
    answer = stranger.post(
        "/welcome/join",
        {"display_name": "Intrus", "locale": "fr", "pin": PIN, "pin_confirm": PIN},
        form_page="/welcome",
    )
    assert answer.status_code == 302 and answer.location.endswith("/welcome")
    with engine.connect() as connection:
        assert people.household(connection, small_estate.dwellings["A-01"]) == []


def test_a_code_typed_before_a_move_out_creates_no_profile(app, engine, small_estate):
    stranger = _browser(app)
    stranger.post("/welcome", {"code": small_estate.codes["A-03"]})
    with writing(engine) as connection:
        people.move_out(connection, small_estate.dwellings["A-03"], small_estate.staff["gardien"])
    answer = stranger.post(
        "/welcome/join",
        {"display_name": "Intrus", "locale": "fr", "pin": PIN, "pin_confirm": PIN},
        form_page="/welcome",
    )
    assert answer.status_code == 302
    with engine.connect() as connection:
        assert people.household(connection, small_estate.dwellings["A-03"]) == []


def _household(engine, small_estate) -> dict[str, str]:
    with engine.connect() as connection:
        members = people.household(connection, small_estate.dwellings["A-01"])
    return {member["display_name"]: member["id"] for member in members}


def _members(app, engine, small_estate) -> dict[str, str]:
    """Odette activates the code; Karim joins, Odette vouching with her PIN. Return their
    ids by name."""
    _browser(app).activate(small_estate.codes["A-01"], name="Odette")
    karim = _browser(app, "10.0.0.2")
    karim.post("/welcome", {"code": small_estate.codes["A-01"]})
    fields = {"display_name": "Karim", "locale": "fr", "pin": PIN, "pin_confirm": PIN}
    vouched = {"member_id": _household(engine, small_estate)["Odette"], "member_pin": PIN}
    answer = karim.post("/welcome/join", {**fields, **vouched}, form_page="/welcome")
    assert answer.status_code == 302
    return _household(engine, small_estate)


def _try_pin(browser: Browser, small_estate, profile_id: str, pin: str) -> int:
    browser.post("/welcome", {"code": small_estate.codes["A-01"]})
    return browser.post(
        f"/welcome/who/{profile_id}", {"pin": pin}, form_page="/welcome"
    ).status_code


def test_another_member_signing_in_does_not_reset_a_member_s_pin_count(
    limited_app, engine, small_estate
):
    members = _members(limited_app, engine, small_estate)
    statuses = []
    for attempt in range(8):
        # Each from an address of its own, so that only the member's count can hold.
        guesser = _browser(limited_app, f"10.0.1.{attempt}")
        statuses.append(_try_pin(guesser, small_estate, members["Odette"], WRONG_PIN))
        karim = _browser(limited_app, f"10.0.2.{attempt}")
        assert _try_pin(karim, small_estate, members["Karim"], PIN) == 302
    assert statuses == [422] * 5 + [429] * 3
    # Odette herself, with her right PIN, is also held until her count leaks away.
    assert _try_pin(_browser(limited_app, "10.0.3.1"), small_estate, members["Odette"], PIN) == 429


def test_the_code_alone_adds_no_one_to_a_household_that_has_members(app, small_estate, engine):
    _browser(app).activate(small_estate.codes["A-01"], name="Odette")
    stranger = _browser(app)
    stranger.post("/welcome", {"code": small_estate.codes["A-01"]})
    page = stranger.get("/welcome/join").get_data(as_text=True)
    assert 'name="member_pin"' in page
    fields = {"display_name": "Intrus", "locale": "fr", "pin": PIN, "pin_confirm": PIN}
    assert stranger.post("/welcome/join", fields, form_page="/welcome").status_code == 422
    with engine.connect() as connection:
        [odette] = people.household(connection, small_estate.dwellings["A-01"])
    wrong = {**fields, "member_id": odette["id"], "member_pin": WRONG_PIN}
    assert stranger.post("/welcome/join", wrong, form_page="/welcome").status_code == 422
    with engine.connect() as connection:
        assert len(people.household(connection, small_estate.dwellings["A-01"])) == 1


def test_a_new_letter_adds_one_profile_on_its_own(app, small_estate, engine, pepper):
    _browser(app).activate(small_estate.codes["A-01"], name="Odette")
    with writing(engine) as connection:
        code = access_codes.issue(connection, pepper, small_estate.dwellings["A-01"])
    newcomer = _browser(app)
    assert newcomer.activate(code, name="Karim").status_code == 302
    with engine.connect() as connection:
        assert len(people.household(connection, small_estate.dwellings["A-01"])) == 2


def test_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(limited_app, small_estate):
    owner = _browser(limited_app, "192.168.1.20")
    assert owner.sign_in_staff("gardien").status_code == 302
    owner.post("/staff/sign-out", form_page="/staff/")
    for attempt in range(30):
        attacker = _browser(limited_app, f"10.9.{attempt // 10}.{attempt}")
        attacker.sign_in_staff("gardien", "mauvais mot de passe")
    attacker = _browser(limited_app, "10.9.9.9")
    assert attacker.sign_in_staff("gardien").status_code == 429
    # The owner's own computer, where the account signed in before, still lets them in.
    assert owner.sign_in_staff("gardien").status_code == 302


def test_an_unknown_username_takes_as_long_as_a_wrong_password(data_dir, engine, small_estate):
    from webui import create_app

    # Limits out of the way: every attempt is checked, none refused before.
    app = create_app(
        {
            "data_dir": str(data_dir),
            "login_attempts_per_address": 1000,
            "login_attempts_per_dwelling": 1000,
        }
    )
    browser = _browser(app)
    token = browser.token("/staff/sign-in")

    def timed(username: str) -> float:
        started = time.perf_counter()
        browser.client.post(
            "/staff/sign-in",
            data={"csrf_token": token, "username": username, "password": "faux"},
        )
        return time.perf_counter() - started

    timed("gardien")
    # Taken in turn, so that other work on the machine weighs on both alike.
    known, unknown = [], []
    for _ in range(9):
        known.append(timed("gardien"))
        unknown.append(timed("personne-ici"))
    ratio = statistics.median(unknown) / statistics.median(known)
    # Without a password check for nobody, an unknown username answered 8 times faster.
    app.extensions["engine"].dispose()
    assert 0.5 < ratio < 2, (unknown, known)


def test_the_staff_password_is_still_checked_on_a_known_device(limited_app, small_estate):
    owner = _browser(limited_app)
    owner.sign_in_staff("gardien")
    owner.post("/staff/sign-out", form_page="/staff/")
    assert owner.sign_in_staff("gardien", "faux").status_code == 422
    assert owner.sign_in_staff("gardien").status_code == 302


def test_through_the_api_too_a_member_must_vouch_for_a_newcomer(app, small_estate):
    from tests.support.api_client import Api, is_problem

    Api(app.test_client()).activate(small_estate.codes["A-01"], name="Odette")
    newcomer = Api(app.test_client())
    household = newcomer.post("/session/code", {"code": small_estate.codes["A-01"]}).get_json()
    assert household["needs_a_member"] is True
    [odette] = household["members"]
    fields = {"display_name": "Karim", "locale": "fr", "pin": PIN, "pin_confirm": PIN}
    assert is_problem(newcomer.post("/session/profile", fields), 422, "member_missing")
    wrong = {**fields, "member_id": odette["id"], "member_pin": WRONG_PIN}
    assert is_problem(newcomer.post("/session/profile", wrong), 422, "pin_wrong")
    right = {**fields, "member_id": odette["id"], "member_pin": PIN}
    assert newcomer.post("/session/profile", right).status_code == 201
