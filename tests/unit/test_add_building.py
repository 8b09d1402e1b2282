"""Buildings named by the hub's operator: added to a residence found or made by its name,
and found again by their names for staff accounts and enrolments, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from core.domain import estate
from core.domain.errors import DomainError, NotFound


def test_a_building_s_residence_is_made_the_first_time_and_found_by_name_after(database):
    with database.begin() as connection:
        first = estate.add_building_to_residence(
            connection, "Les Tilleuls", "La Viste", "Marseille", "Bâtiment A", "1 rue des Lilas"
        )
        second = estate.add_building_to_residence(
            connection, "Les Tilleuls", "La Viste", "Marseille", "Bâtiment B"
        )
        found = estate.list_buildings(connection, [first, second])
    assert [building["name"] for building in found] == ["Bâtiment A", "Bâtiment B"]
    assert {building["residence_id"] for building in found} == {found[0]["residence_id"]}
    assert found[0]["address"] == "1 rue des Lilas"


def test_a_residence_named_again_in_another_place_is_refused(database):
    with database.begin() as connection:
        estate.add_building_to_residence(
            connection, "Les Tilleuls", "La Viste", "Marseille", "Bâtiment A"
        )
        with pytest.raises(DomainError) as refused:
            estate.add_building_to_residence(
                connection, "Les Tilleuls", "Le Merlan", "Marseille", "Bâtiment B"
            )
    assert str(refused.value) == (
        "Les Tilleuls is in La Viste, Marseille: say so, or name another residence"
    )


def test_a_building_name_taken_in_any_case_is_refused(database):
    with database.begin() as connection:
        estate.add_building_to_residence(
            connection, "Les Tilleuls", "La Viste", "Marseille", "Bâtiment A"
        )
        with pytest.raises(DomainError) as refused:
            estate.add_building_to_residence(
                connection, "Les Oliviers", "Le Merlan", "Marseille", "bâtiment a"
            )
    assert str(refused.value) == "a building named 'bâtiment a' already exists"


def test_buildings_are_found_by_name_in_any_case_in_the_order_given(database):
    with database.begin() as connection:
        a = estate.add_building_to_residence(connection, "Les Tilleuls", "X", "Y", "Bâtiment A")
        b = estate.add_building_to_residence(connection, "Les Tilleuls", "X", "Y", "Bâtiment B")
        assert estate.building_ids_by_name(connection, [" bâtiment b", "Bâtiment A"]) == [b, a]
        with pytest.raises(NotFound) as unknown:
            estate.building_ids_by_name(connection, ["Bâtiment A", "Bâtiment Z"])
    assert str(unknown.value) == "no building named 'Bâtiment Z'"
