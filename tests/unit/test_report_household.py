"""Who filed a report and how to reach them: kept with the report as they were, sent to
the hub with it, and shown only to the agents who handle the building's reports."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.domain import erasure, people, reports, staff_buildings
from core.domain.errors import NotFound
from core.storage.schema import quarantine
from core.storage.schema import reports as report_table
from link import topics
from link.inbox import at_hub_receive
from tests.support import hub_messages as sent


def _staff(connection, estate, username):
    return people.get_staff(connection, estate.staff[username])


def test_a_report_keeps_who_filed_it_as_they_were_and_a_new_one_takes_the_changes(
    engine, small_estate, resident
):
    odette = resident("A-01", "Odette")
    with engine.begin() as connection:
        people.set_contact(connection, odette["id"], "06 12 34 56 78")
        people.set_preferences(connection, odette["id"], locale="ar")
        first = reports.file(
            connection, people.get_profile(connection, odette["id"]), "lift", "lift", "Panne"
        )
        people.set_contact(connection, odette["id"], "Porte 12, 1er étage")
        people.set_preferences(connection, odette["id"], locale="en")
        second = reports.file(
            connection, people.get_profile(connection, odette["id"]), "leak", "dwelling", "Fuite"
        )
        before, after = reports.household(connection, first), reports.household(connection, second)
    assert (before["household_name"], before["household_locale"]) == ("Odette", "ar")
    assert before["household_contact"] == "06 12 34 56 78"
    assert (after["household_locale"], after["household_contact"]) == ("en", "Porte 12, 1er étage")
    assert (before["dwelling_reference"], before["staircase"], before["floor"]) == ("A-01", "1", 1)


def test_only_the_agents_who_handle_the_building_s_reports_see_the_household(
    engine, small_estate, resident
):
    odette = resident("A-01", "Odette")
    with engine.begin() as connection:
        report_id = reports.file(connection, odette, "lift", "lift", "Panne")
        agent = _staff(connection, small_estate, "agent")
        assert staff_buildings.report_household(connection, agent, report_id)["household_name"] == (
            "Odette"
        )
        # The caretaker reads the building's reports, but does not handle them.
        caretaker = _staff(connection, small_estate, "gardien")
        assert staff_buildings.report(connection, caretaker, report_id)["id"] == report_id
        assert staff_buildings.report_household(connection, caretaker, report_id) is None
        with pytest.raises(NotFound):
            staff_buildings.report_household(
                connection, _staff(connection, small_estate, "agent.b"), report_id
            )
        # Lists and summaries, which every staff member of the building reads, leave it out.
        summary = reports.get(connection, report_id)
        listed = reports.for_agent(connection, reports.AgentFilter(agent["building_ids"])).items
    for shown in (summary, *listed):
        assert not set(reports.HOUSEHOLD_COLUMNS) & set(shown)


def test_an_erased_profile_s_reports_stay_without_its_name_or_contact(
    engine, small_estate, resident
):
    odette = resident("A-01", "Odette")
    with engine.begin() as connection:
        people.set_contact(connection, odette["id"], "06 12 34 56 78")
        report_id = reports.file(
            connection, people.get_profile(connection, odette["id"]), "lift", "lift", "Panne"
        )
        erasure.erase(connection, odette["id"], "keep_anonymously")
        kept = reports.household(connection, report_id)
    assert (kept["household_name"], kept["household_contact"]) == (None, None)
    assert kept["dwelling_reference"] == "A-01"


def test_reports_from_older_and_newer_boxes_arrive_with_what_they_say_of_the_household(
    engine, hub_with_two_boxes
):
    place = hub_with_two_boxes
    home = sent.dwelling(place.building_a, "A-01", place.dwellings["A-01"])
    newer = {"name": "Aïcha", "locale": "ar", "contact": "06 98 76 54 32"}
    # A language this hub does not know yet costs the detail, not the report.
    unknown_language = {"name": "Zeynep", "locale": "tr", "contact": None}
    batch = [
        (topics.up("box-a"), sent.filed("box-a", place.building_a, home, 1)),
        (topics.up("box-a"), sent.filed("box-a", place.building_a, home, 2, household=newer)),
        (
            topics.up("box-a"),
            sent.filed("box-a", place.building_a, home, 3, household=unknown_language),
        ),
    ]
    at_hub_receive(engine, batch)
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                report_table.c.number,
                report_table.c.household_name,
                report_table.c.household_locale,
                report_table.c.household_contact,
            ).order_by(report_table.c.number)
        ).all()
    assert [tuple(row) for row in rows] == [
        (1, None, None, None),
        (2, "Aïcha", "ar", "06 98 76 54 32"),
        (3, "Zeynep", None, None),
    ]
    assert sent.count(engine, quarantine) == 0


def test_a_household_s_details_longer_than_a_profile_holds_are_kept_aside(
    engine, hub_with_two_boxes
):
    place = hub_with_two_boxes
    home = sent.dwelling(place.building_a, "A-01", place.dwellings["A-01"])
    too_long = {"name": "N" * 61, "locale": "fr", "contact": None}
    at_hub_receive(
        engine,
        [(topics.up("box-a"), sent.filed("box-a", place.building_a, home, 1, household=too_long))],
    )
    assert sent.count(engine, report_table) == 0
    assert sent.count(engine, quarantine) == 1
