"""Who tenants can turn to: the caretaker's and the mediator's cards, kept by the staff of
the building, shown to anyone on the sign-in and help pages: those who lost the letter
or forgot their PIN cannot sign in, and need them most."""

import pytest
from sqlalchemy import select

from core.domain import building_contacts, people
from core.domain.errors import DomainError, NotFound
from core.storage.schema import audit_log

CARD = {
    "name": "Mme Diallo",
    "place": "Loge du bâtiment A, rez-de-chaussée",
    "hours": "Lundi au vendredi, 8 h – 12 h",
    "phone": "04 91 00 11 22",
}


def _keep(engine, username: str, building_id: str, role: str, fields: dict) -> None:
    with engine.begin() as connection:
        member = people.get_staff(connection, username)
        building_contacts.keep(connection, member, building_id, role, fields)


def test_staff_keep_the_cards_of_their_buildings_only(engine, small_estate):
    gardien = small_estate.staff["gardien"]
    _keep(engine, gardien, small_estate.building_a, "caretaker", CARD)
    with engine.connect() as connection:
        (card,) = building_contacts.of_buildings(connection, [small_estate.building_a])
        assert (card["name"], card["phone"], card["building_name"]) == (
            "Mme Diallo",
            "04 91 00 11 22",
            "Bâtiment A",
        )
        assert connection.execute(select(audit_log.c.action)).scalars().all()[-1] == (
            "contact.update"
        )
    with pytest.raises(NotFound):
        _keep(engine, gardien, small_estate.building_b, "caretaker", CARD)
    with pytest.raises(NotFound):
        _keep(engine, gardien, small_estate.building_a, "plumber", CARD)
    with pytest.raises(DomainError) as letters:
        _keep(engine, gardien, small_estate.building_a, "caretaker", {**CARD, "phone": "appelez"})
    with pytest.raises(DomainError) as long_name:
        _keep(engine, gardien, small_estate.building_a, "caretaker", {**CARD, "name": "x" * 81})
    assert (letters.value.field, long_name.value.field) == ("phone", "name")
    # An empty name takes the card away.
    _keep(engine, gardien, small_estate.building_a, "caretaker", {"name": ""})
    with engine.connect() as connection:
        assert building_contacts.of_buildings(connection) == []


def test_anyone_finds_who_helps_without_signing_in(browser, engine, small_estate):
    _keep(engine, small_estate.staff["gardien"], small_estate.building_a, "caretaker", CARD)
    welcome = browser.get("/welcome").get_data(as_text=True)
    assert "Mme Diallo" in welcome and 'href="/help"' in welcome
    help_page = browser.get("/help")
    page = help_page.get_data(as_text=True)
    assert help_page.status_code == 200
    assert "Mme Diallo" in page and "Lundi au vendredi" in page and 'href="tel:0491001122"' in page
    assert "J’ai perdu la lettre du bailleur." in page
    # Asking through the portal needs to be signed in; the page says so.
    assert 'action="/help"' not in page and 'href="/welcome"' in page
    assert browser.post("/help", {"topic": "signin"}, form_page="/help").status_code == 302


def test_a_tenant_sees_the_people_of_their_own_building(browser, engine, small_estate):
    _keep(engine, small_estate.staff["gardien"], small_estate.building_a, "caretaker", CARD)
    _keep(
        engine,
        small_estate.staff["operateur"],
        small_estate.building_b,
        "mediator",
        {"name": "M. Benali", "hours": "Mardi 14 h"},
    )
    browser.activate(small_estate.codes["A-01"], locale="en")
    page = browser.get("/help").get_data(as_text=True)
    assert "Mme Diallo" in page and "M. Benali" not in page
    assert 'action="/help"' in page


def test_the_caretaker_keeps_the_card_from_the_staff_pages(browser, small_estate):
    browser.sign_in_staff("gardien")
    assert "/staff/contacts" in browser.get("/staff/").get_data(as_text=True)
    page = f"/staff/contacts/{small_estate.building_a}/caretaker"
    refused = browser.post(page, {**CARD, "phone": "appelez-moi"}, form_page="/staff/contacts")
    assert refused.status_code == 422
    assert 'value="Mme Diallo"' in refused.get_data(as_text=True)
    assert browser.post(page, CARD, form_page="/staff/contacts").status_code == 302
    assert 'value="Mme Diallo"' in browser.get("/staff/contacts").get_data(as_text=True)
    other = f"/staff/contacts/{small_estate.building_b}/caretaker"
    assert browser.post(other, CARD, form_page="/staff/contacts").status_code == 404
