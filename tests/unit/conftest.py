"""Fixtures shared by the unit tests of the link."""

from __future__ import annotations

import pytest

from appliance.domain import fleet, link


@pytest.fixture
def hub_with_two_boxes(engine, small_estate):
    """The small estate as a hub: box A serves building A, box B building B."""
    with engine.begin() as connection:
        link.become_hub(connection)
        fleet.enrol(connection, "box-a", "A", [small_estate.building_a])
        fleet.enrol(connection, "box-b", "B", [small_estate.building_b])
    return small_estate
