"""Tenants ask for help; the mediator or caretaker of their building answers."""

import pytest

from core.domain import help_desk, notifications, people
from core.domain.errors import DomainError, NotFound


def test_a_request_waits_for_its_building_and_the_answer_reaches_the_tenant(
    engine, small_estate, neighbours
):
    odette, samia = neighbours["Odette"], neighbours["Samia"]
    with engine.begin() as connection:
        caretaker_a = people.get_staff(connection, small_estate.staff["gardien"])
        visit = help_desk.ask(
            connection, odette, "phone", "Mon téléphone ne s'allume pas.", "visit"
        )
        help_desk.ask(connection, samia, "signing_in", "", "portal")
        waiting = help_desk.waiting(connection, caretaker_a["building_ids"])
        assert [(r["display_name"], r["dwelling_reference"]) for r in waiting] == [
            ("Odette", "A-01")
        ]
        help_desk.answer(connection, caretaker_a, visit, "Je passe demain à 10 h.")
        assert help_desk.waiting(connection, caretaker_a["building_ids"]) == []
        assert help_desk.mine(connection, odette)[0]["answer"] == "Je passe demain à 10 h."
        told = notifications.recent(connection, odette["id"])
    assert [(n["kind"], n["detail"]["name"]) for n in told] == [("help_answered", "Gardien")]


def test_the_flat_is_shown_only_when_a_visit_is_asked(engine, small_estate, neighbours):
    with engine.begin() as connection:
        caretaker = people.get_staff(connection, small_estate.staff["gardien"])
        help_desk.ask(connection, neighbours["Karim"], "report", "", "office")
        waiting = help_desk.waiting(connection, caretaker["building_ids"])
    assert waiting[0]["dwelling_reference"] is None


def test_help_of_another_building_cannot_be_answered_and_a_topic_is_needed(
    engine, small_estate, neighbours
):
    with engine.begin() as connection:
        caretaker_a = people.get_staff(connection, small_estate.staff["gardien"])
        in_b = help_desk.ask(connection, neighbours["Samia"], "other", "", "portal")
        with pytest.raises(NotFound):
            help_desk.answer(connection, caretaker_a, in_b, "Oui")
        with pytest.raises(DomainError) as refused:
            help_desk.ask(connection, neighbours["Samia"], "", "", "portal")
    assert refused.value.field == "topic"
