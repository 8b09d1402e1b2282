"""The staff home page starts with what waits for the person, by what their role does."""

from datetime import timedelta

from core.domain import (
    access_codes,
    building_contacts,
    charter,
    deals,
    first_steps,
    help_desk,
    moderation,
    noticeboard,
    people,
)
from core.domain.clock import utcnow
from tests.conftest import PIN, Browser


def _tenants(engine, pepper, small_estate) -> list[dict]:
    found = []
    with engine.begin() as connection:
        for reference in ("A-01", "A-02"):
            code = access_codes.find(connection, pepper, small_estate.codes[reference])
            profile_id = people.create_profile(
                connection, code["id"], small_estate.dwellings[reference], reference, "fr", PIN, PIN
            )
            found.append(people.get_profile(connection, profile_id))
    return found


def _waiting(browser: Browser) -> str:
    page = browser.get("/staff/").get_data(as_text=True)
    start = page.index('id="waiting-title"')
    return page[start : page.index("</section>", start)]


def test_the_caretaker_sees_flags_help_and_a_building_nobody_can_be_reached_in(
    browser, engine, pepper, small_estate
):
    odette, karim = _tenants(engine, pepper, small_estate)
    browser.sign_in_staff("gardien")
    assert "Nothing is waiting for you." not in _waiting(browser)
    assert "Nobody to turn to is shown for Bâtiment A" in _waiting(browser)
    with engine.begin() as connection:
        charter.accept(connection, odette["id"])
        post = noticeboard.publish(connection, odette, "giving", "building", "Table", "Gratuit")
        moderation.flag(connection, karim, "post", post, "selling")
        help_desk.ask(connection, karim, "signing_in", "", "visit")
        caretaker = people.get_staff(connection, small_estate.staff["gardien"])
        building_contacts.keep(
            connection, caretaker, small_estate.building_a, "caretaker", {"name": "Mme Diallo"}
        )
    waiting = _waiting(browser)
    assert "1 flagged thing to look at." in waiting and 'href="/staff/moderation"' in waiting
    assert "1 request for help to answer." in waiting and 'href="/staff/help-requests"' in waiting
    assert "Nobody to turn to" not in waiting


def test_the_mediator_sees_requests_for_help_and_their_next_session(
    browser, engine, pepper, small_estate
):
    _odette, karim = _tenants(engine, pepper, small_estate)
    starts = utcnow() + timedelta(days=2)
    with engine.begin() as connection:
        help_desk.ask(connection, karim, "signing_in", "", "visit")
        mediator = people.get_staff(connection, small_estate.staff["mediatrice"])
        first_steps.organise(
            connection,
            mediator,
            small_estate.building_a,
            "building",
            "Premiers pas sur le portail",
            "",
            "Salle commune",
            starts,
            starts + timedelta(hours=2),
        )
    browser.sign_in_staff("mediatrice")
    assert "1 request for help to answer." in _waiting(browser)
    home = browser.get("/staff/").get_data(as_text=True)
    sessions = home[home.index('id="sessions-title"') :]
    assert "Premiers pas sur le portail" in sessions[: sessions.index("</section>")]


def test_a_shop_is_reminded_of_deals_ending_and_of_having_none(hub, small_estate):
    shop = Browser(hub.test_client())
    shop.sign_in_staff("boulanger")
    assert "You have no deal on" in _waiting(shop)
    today = utcnow().date()
    with hub.extensions["engine"].begin() as connection:
        for title, days in (("Pain offert", 3), ("Croissants", 30)):
            deals.publish(
                connection,
                small_estate.publishers["shop"],
                title,
                "Le lundi.",
                today,
                today + timedelta(days=days),
                [small_estate.residence_id],
            )
    waiting = _waiting(shop)
    assert "1 of your deals ends within a week." in waiting and "You have no deal" not in waiting


def test_an_agent_with_nothing_waiting_is_told_so(browser, engine, small_estate):
    with engine.begin() as connection:
        agent = people.get_staff(connection, small_estate.staff["agent"])
        for building in (small_estate.building_a, small_estate.building_b):
            building_contacts.keep(connection, agent, building, "caretaker", {"name": "Mme D."})
    browser.sign_in_staff("agent")
    assert "Nothing is waiting for you." in _waiting(browser)
