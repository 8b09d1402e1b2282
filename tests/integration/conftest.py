"""Fixtures of the integration tests: the hub's console over the small estate."""

from __future__ import annotations

import pytest

from appliance.domain import fleet, link
from webui import create_app


@pytest.fixture
def hub(data_dir, engine, small_estate):
    """The hub's console, with one box for each building of the estate."""
    with engine.begin() as connection:
        link.become_hub(connection)
        fleet.enrol(connection, "box-a", "Bâtiment A", [small_estate.building_a])
        fleet.enrol(connection, "box-b", "Bâtiment B", [small_estate.building_b])
    app = create_app(
        {
            "data_dir": str(data_dir),
            "database_url": str(engine.url),
            "role": "hub",
            "login_attempts_per_address": 1000,
        }
    )
    app.config["TESTING"] = True
    yield app
    app.extensions["engine"].dispose()
