"""A staff member reaches their own buildings and what is in them; others do not exist."""

import pytest

from core.domain import people, staff_buildings
from core.domain.errors import DomainError, NotFound


@pytest.fixture
def caretaker(engine, small_estate):
    """The caretaker of building A only."""
    with engine.connect() as connection:
        return people.get_staff(connection, small_estate.staff["gardien"])


def test_a_caretaker_reaches_their_building_and_its_dwellings(engine, small_estate, caretaker):
    with engine.connect() as connection:
        assert [b["id"] for b in staff_buildings.buildings(connection, caretaker)] == [
            small_estate.building_a
        ]
        found = staff_buildings.building(connection, caretaker, small_estate.building_a)
        assert found["name"] == "Bâtiment A"
        dwelling = staff_buildings.dwelling(connection, caretaker, small_estate.dwellings["A-01"])
        assert dwelling["building_name"] == "Bâtiment A"


def test_another_building_and_what_is_in_it_do_not_exist(engine, small_estate, caretaker):
    with engine.connect() as connection:
        with pytest.raises(NotFound) as missing:
            staff_buildings.building(connection, caretaker, small_estate.building_b)
        assert missing.value.code == "building_not_found"
        with pytest.raises(NotFound) as missing:
            staff_buildings.dwelling(connection, caretaker, small_estate.dwellings["B-01"])
        assert missing.value.code == "dwelling_not_found"


def test_choosing_another_building_in_a_form_is_refused_beside_its_field(
    engine, small_estate, caretaker
):
    with engine.connect() as connection:
        with pytest.raises(DomainError) as refused:
            staff_buildings.chosen_building(connection, caretaker, small_estate.building_b)
        assert not isinstance(refused.value, NotFound)
        assert (refused.value.code, refused.value.field) == ("building_unknown", "building_id")
        chosen = staff_buildings.chosen_building(connection, caretaker, small_estate.building_a)
        assert chosen["id"] == small_estate.building_a
