"""What people type is checked in one place: hidden control characters are refused,
line breaks of every kind made plain, wherever the text comes from."""

from datetime import timedelta

import pytest

from core.domain import (
    deals,
    estate,
    events,
    help_desk,
    moderation,
    news,
    noticeboard,
    partners,
    people,
    typed_text,
    works,
)
from core.domain.clock import utcnow
from core.domain.errors import DomainError

HIDDEN = ["\x00", "\x1b", "\x7f", "\x9b", "\ud800"]


@pytest.mark.parametrize("hidden", HIDDEN, ids=["nul", "escape", "delete", "c1", "surrogate"])
def test_hidden_control_characters_are_refused_in_texts_and_lines(hidden):
    for check in (typed_text.text, typed_text.line):
        with pytest.raises(DomainError) as refused:
            check(f"Bonjour{hidden} voisins", "body", 100, None)
        assert (refused.value.code, refused.value.field) == ("body_control", "body")


def test_every_kind_of_line_break_becomes_a_newline_in_a_text_and_tabs_stay():
    typed = "  Ligne 1\r\nLigne 2\rLigne 3\x0bLigne 4\u2028Ligne 5\n\tfin  \r"
    assert (
        typed_text.text(typed, "body", 100) == "Ligne 1\nLigne 2\nLigne 3\nLigne 4\nLigne 5\n\tfin"
    )


def test_a_line_makes_line_breaks_and_tabs_one_space():
    assert typed_text.line(" Fête\r\rde\tla\x0cCour ", "title", 100, None) == "Fête de la Cour"


def test_text_stored_before_the_rule_is_written_out_without_hidden_characters():
    assert typed_text.without_hidden("a\x00b\r\nc\rd\x1b") == "ab\nc\nd"


@pytest.mark.parametrize(
    ("reference", "staircase", "field"),
    [("A-01\x00", "1", "reference"), ("A-01", "B\x00", "staircase"), ("A\n01", "1", None)],
    ids=["nul-in-reference", "nul-in-staircase", "newline-in-reference"],
)
def test_a_dwelling_reference_and_staircase_are_typed_text(reference, staircase, field):
    if field is None:
        assert estate.validate_dwelling(reference, staircase, 1)[0] == "A 01"
        return
    with pytest.raises(DomainError) as refused:
        estate.validate_dwelling(reference, staircase, 1)
    assert (refused.value.code, refused.value.field) == (f"{field}_control", field)


def _news(connection, place, people_, title="Titre", body="Texte"):
    news.publish(
        connection, place.publishers["landlord"], title, body, "building", place.building_a
    )


def _works(connection, place, people_, location="Hall", tenant_action=""):
    today = utcnow().date()
    works.announce(
        connection,
        "building",
        place.building_a,
        "Ascenseur",
        location,
        today,
        today,
        tenant_action,
    )


def _event(connection, place, people_, description="Texte", where="Cour"):
    start = utcnow() + timedelta(days=1)
    odette = people_["Odette"]
    events.organise(
        connection,
        odette,
        events.building_of(odette),
        "building",
        "Fête",
        description,
        where,
        start,
        start + timedelta(hours=2),
    )


def _deal(connection, place, people_, description="Texte"):
    today = utcnow().date()
    deals.publish(
        connection,
        place.publishers["shop"],
        "Promo",
        description,
        today,
        today,
        [place.residence_id],
    )


def _partner(connection, place, people_, name="Centre social", opening_hours=""):
    partners.add(
        connection,
        None,
        name=name,
        category="social",
        description="Aide aux démarches.",
        address="",
        phone="",
        opening_hours=opening_hours,
        scope_kind="city",
        scope_ref="Marseille",
    )


def _answer(connection, place, people_):
    request_id = help_desk.ask(connection, people_["Odette"], "phone", "", "visit")
    caretaker = people.get_staff(connection, place.staff["gardien"])
    help_desk.answer(connection, caretaker, request_id, "Je passe\x00")


def _flag(connection, place, people_):
    post_id = noticeboard.publish(
        connection, people_["Karim"], "giving", "building", "Table", "À donner"
    )
    moderation.flag(connection, people_["Odette"], "post", post_id, "rude", "Note\x00")


@pytest.mark.parametrize(
    ("write", "field"),
    [
        (lambda c, p, n: _news(c, p, n, title="Travaux\x00"), "title"),
        (lambda c, p, n: _news(c, p, n, body="Texte\x00"), "body"),
        (lambda c, p, n: _works(c, p, n, location="Hall\x00"), "location"),
        (lambda c, p, n: _works(c, p, n, tenant_action="Fermez\x00"), "tenant_action"),
        (lambda c, p, n: _event(c, p, n, description="Texte\x00"), "description"),
        (lambda c, p, n: _event(c, p, n, where="Cour\x00"), "place"),
        (lambda c, p, n: _deal(c, p, n, description="Texte\x00"), "description"),
        (lambda c, p, n: _partner(c, p, n, name="Centre\x00"), "name"),
        (lambda c, p, n: _partner(c, p, n, opening_hours="Lundi\x00"), "opening_hours"),
        (_answer, "answer"),
        (_flag, "note"),
    ],
    ids=[
        "news-title",
        "news-body",
        "works-location",
        "works-action",
        "event-description",
        "event-place",
        "deal-description",
        "partner-name",
        "partner-hours",
        "help-answer",
        "flag-note",
    ],
)
def test_every_text_people_type_reaches_the_same_rule(
    engine, small_estate, neighbours, write, field
):
    with engine.begin() as connection, pytest.raises(DomainError) as refused:
        write(connection, small_estate, neighbours)
    assert (refused.value.code, refused.value.field) == (f"{field}_control", field)


def test_names_contacts_and_usernames_refuse_hidden_characters_too(engine, small_estate, pepper):
    from core.domain import access_codes, people

    with engine.begin() as connection:
        code = access_codes.find(connection, pepper, small_estate.codes["A-01"])
        with pytest.raises(DomainError) as named:
            people.create_profile(
                connection,
                code["id"],
                small_estate.dwellings["A-01"],
                "Odette\x1b[2J",
                "fr",
                "2468",
                "2468",
            )
        assert named.value.code == "display_name_control"
        profile_id = people.create_profile(
            connection, code["id"], small_estate.dwellings["A-01"], "Odette", "fr", "2468", "2468"
        )
        with pytest.raises(DomainError) as contacted:
            people.set_contact(connection, profile_id, "06\x00 12")
        assert contacted.value.code == "contact_control"
        with pytest.raises(DomainError) as signed:
            people.create_staff(
                connection, "gardien\x07", "G", "correct horse battery", "caretaker", []
            )
        assert signed.value.code == "username_control"
