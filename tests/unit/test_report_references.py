"""References people quote for a report: the building's code and the number, unique
across the hub; read as people type them; searched in the agents' list."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.domain import building_codes, estate, reports
from core.domain.clock import new_id, utcnow
from core.storage.schema import reports as report_table
from tests.support.hub_reports import arrived


@pytest.mark.parametrize(
    ("name", "taken", "code"),
    [
        ("Bâtiment A", set(), "BA"),
        ("Tour 3", set(), "T3"),
        ("Les Lilas, bâtiment C", set(), "LLBC"),
        ("Résidence du Grand Parc 12", set(), "RDGP12"),
        ("Bâtiment A", {"BA"}, "BA2"),
        ("Bâtiment A", {"BA", "BA2"}, "BA3"),
        ("« »", set(), "B"),
    ],
)
def test_a_building_s_code_is_made_from_its_name_and_never_taken_twice(name, taken, code):
    assert building_codes.from_name(name, taken) == code


def test_buildings_whose_names_give_the_same_code_get_different_codes(engine, small_estate):
    with engine.begin() as connection:
        # "Bâtiment A" already has BA.
        other = estate.add_building(connection, small_estate.residence_id, "Bloc Alpha")
        codes = {
            building["id"]: building["code"]
            for building in estate.list_buildings(
                connection, [small_estate.building_a, small_estate.building_b, other]
            )
        }
    assert codes == {small_estate.building_a: "BA", small_estate.building_b: "BB", other: "BA2"}


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("BA-12", ("BA", 12)),
        ("ba 12", ("BA", 12)),
        (" Ba12 ", ("BA", 12)),
        ("BA – 12", ("BA", 12)),
        ("T3-4", ("T3", 4)),
        ("12", (None, 12)),
        ("#12", (None, 12)),
        ("BA-", None),
        ("lift", None),
        ("BA-12-3", None),
    ],
)
def test_a_reference_is_read_as_people_type_it(typed, read):
    assert reports.read_reference(typed) == read


@pytest.mark.parametrize(
    ("description", "start"),
    [
        ("Short one.", "Short one."),
        ("The lift stops\nbetween   floors", "The lift stops between floors"),
        ("word " * 30, "word " * 17 + "word…"),
        ("x" * 200, "x" * 90 + "…"),
        ("The lift, " + "again " * 20, "The lift, " + "again " * 12 + "again…"),
    ],
)
def test_the_start_of_a_description_is_cut_between_words(description, start):
    assert reports.excerpt(description) == start


def test_the_same_number_in_two_buildings_gives_two_references_the_list_tells_apart(
    engine, hub_with_two_boxes
):
    place = hub_with_two_boxes
    with engine.begin() as connection:
        in_a = arrived(connection, place, 7, "A", timedelta(days=1))
        in_b = arrived(connection, place, 7, "B", timedelta(days=2))
        everyone = [place.building_a, place.building_b]

        def found(typed):
            chosen = reports.AgentFilter(everyone, reference=typed)
            return [r["id"] for r in reports.for_agent(connection, chosen).items]

        assert reports.get(connection, in_a)["reference"] == "BA-7"
        assert reports.get(connection, in_b)["reference"] == "BB-7"
        assert found("bb 7") == [in_b]
        assert found("BA-7") == [in_a]
        assert found("7") == [in_b, in_a]
        assert found("BC-7") == []
        assert found("not a reference") == []
        assert (
            reports.count_for_agent(connection, reports.AgentFilter(everyone, reference="BA7")) == 1
        )


def test_references_are_made_and_found_alike_on_sqlite_and_postgresql(database):
    with database.begin() as connection:
        residence = estate.add_residence(connection, "Les Tilleuls", "La Viste", "Marseille")
        made = {}
        for name, home in (("Bâtiment A", "A-01"), ("Tour 3", "T-01")):
            building_id = estate.add_building(connection, residence, name)
            dwelling_id = estate.register_dwelling(connection, building_id, home, "1", 1)
            made[name] = _one_report(connection, building_id, dwelling_id, number=12)
        everyone = reports.AgentFilter(
            [reports.get(connection, report_id)["building_id"] for report_id in made.values()]
        )
        found = {
            typed: [r["reference"] for r in reports.for_agent(connection, chosen).items]
            for typed, chosen in (
                ("all", everyone),
                ("t3 12", reports.AgentFilter(everyone.building_ids, reference="t3 12")),
            )
        }
    assert sorted(found["all"]) == ["BA-12", "T3-12"]
    assert found["t3 12"] == ["T3-12"]


def _one_report(connection, building_id: str, dwelling_id: str, number: int) -> str:
    report_id = new_id()
    now = utcnow()
    connection.execute(
        report_table.insert().values(
            id=report_id,
            number=number,
            building_id=building_id,
            dwelling_id=dwelling_id,
            category="lift",
            location="hall",
            description="Bloqué",
            status="received",
            created_at=now,
            updated_at=now,
        )
    )
    return report_id
