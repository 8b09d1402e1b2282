"""Fixtures shared by the unit tests: a hub with two boxes, neighbours on the board, and
an empty database on each engine the hub runs on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from core.domain import access_codes, charter, fleet, people, side
from core.storage.engine import make_engine
from tests.conftest import PIN
from tests.support.databases import copy_database, postgres_database, postgres_url


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path, _migrated_template) -> Iterator[Engine]:
    """An empty database on SQLite, then on PostgreSQL (127.0.0.1:5432, user postgres)."""
    if request.param == "sqlite":
        copy_database(_migrated_template, tmp_path / "box.sqlite3")
        engine = make_engine(f"sqlite:///{tmp_path / 'box.sqlite3'}")
        yield engine
        engine.dispose()
        return
    with postgres_database(request.getfixturevalue("postgres_template")) as name:
        engine = make_engine(postgres_url(name))
        yield engine
        engine.dispose()


@pytest.fixture
def hub_with_two_boxes(engine, small_estate):
    """The small estate as a hub: box A serves building A, box B building B."""
    with engine.begin() as connection:
        side.become_hub(connection)
        fleet.enrol(connection, "box-a", "A", [small_estate.building_a])
        fleet.enrol(connection, "box-b", "B", [small_estate.building_b])
    return small_estate


@pytest.fixture
def resident(engine, small_estate, pepper):
    """Make a resident of a dwelling of the small estate; return their signed-in profile."""

    def make(reference: str, name: str, accept_charter: bool = True) -> dict:
        with engine.begin() as connection:
            code = access_codes.find(connection, pepper, small_estate.codes[reference])
            profile_id = people.create_profile(
                connection, code["id"], small_estate.dwellings[reference], name, "fr", PIN, PIN
            )
            if accept_charter:
                charter.accept(connection, profile_id)
            return people.get_profile(connection, profile_id)

    return make


@pytest.fixture
def neighbours(resident) -> dict:
    """Odette and Karim in building A (two households), Samia in building B."""
    return {
        name: resident(reference, name)
        for reference, name in (("A-01", "Odette"), ("A-02", "Karim"), ("B-01", "Samia"))
    }
