"""Fixtures of the integration tests: the hub's console over the small estate, and API
clients signed in as its staff and tenants."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.domain import charter, fleet, noticeboard, people, side
from core.storage.schema import profiles
from tests.support.api_client import Api
from webui import create_app


@pytest.fixture
def hub(data_dir, engine, small_estate):
    """The hub's console, with one box for each building of the estate."""
    with engine.begin() as connection:
        side.become_hub(connection)
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


@pytest.fixture
def staff(app, small_estate):
    """Return a signed-in API client per staff username."""

    def sign_in(username: str) -> Api:
        api = Api(app.test_client())
        assert api.sign_in_staff(username).status_code == 200
        return api

    return sign_in


@pytest.fixture
def hub_staff(hub):
    """Return an API client of the hub signed in per staff username."""

    def sign_in(username: str) -> Api:
        api = Api(hub.test_client())
        assert api.sign_in_staff(username).status_code == 200
        return api

    return sign_in


@pytest.fixture
def tenant_of(app, small_estate):
    """Return a signed-in tenant API client for a dwelling reference."""

    def sign_in(reference: str, name: str = "Odette") -> Api:
        api = Api(app.test_client())
        api.activate(small_estate.codes[reference], name=name)
        return api

    return sign_in


@pytest.fixture
def fill_board(engine):
    """Have a signed-up tenant (by name) give away ``count`` things on their building's
    board; return the titles, newest first."""

    def fill(name: str, count: int) -> list[str]:
        with engine.begin() as connection:
            profile_id = connection.execute(
                select(profiles.c.id).where(profiles.c.display_name == name)
            ).scalar_one()
            author = people.get_profile(connection, profile_id)
            charter.accept(connection, profile_id)
            titles = [f"Objet {number}" for number in range(count)]
            for title in titles:
                noticeboard.publish(connection, author, "giving", "building", title, "À donner")
        return titles[::-1]

    return fill
