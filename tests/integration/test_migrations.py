"""Upgrading a box with data on it migrates the schema in place and keeps every row."""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select

from core.domain import access_codes, people
from core.domain import reports as report_domain
from core.storage import migrations, revision
from core.storage.engine import make_engine
from core.storage.schema import buildings, dwellings, metadata, reports, works_notices
from tests.conftest import PIN

REVISIONS = [
    script.revision
    for script in reversed(list(ScriptDirectory(str(migrations.SCRIPTS)).walk_revisions()))
]


def test_the_web_service_expects_the_newest_migration():
    assert revision.EXPECTED == migrations.head_revision() == REVISIONS[-1]


def test_a_database_without_schema_is_not_current(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    with engine.connect() as connection:
        assert revision.current(connection) is None
        assert not revision.is_current(connection)
    engine.dispose()


def test_the_migrated_schema_matches_the_tables_the_code_uses(engine):
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert tables == set(metadata.tables)
    for name, table in metadata.tables.items():
        columns = {column["name"] for column in inspect(engine).get_columns(name)}
        assert columns == set(table.columns.keys()), name


@pytest.mark.parametrize("start", REVISIONS)
def test_upgrading_from_each_revision_keeps_the_data(tmp_path, start):
    engine = make_engine(f"sqlite:///{tmp_path / 'box.sqlite3'}")
    migrations.upgrade(engine, start)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO residences (id, name, district, city)"
            " VALUES ('r1', 'Les Tilleuls', 'La Viste', 'Marseille')"
        )
        connection.exec_driver_sql(
            "INSERT INTO buildings (id, residence_id, name, address) VALUES ('b1', 'r1', 'A', '')"
        )
        connection.exec_driver_sql(
            "INSERT INTO dwellings (id, building_id, reference, staircase, floor, created_at)"
            " VALUES ('d1', 'b1', 'A-01', '1', 2, '2026-01-01 10:00:00')"
        )
    migrations.upgrade(engine)
    with engine.connect() as connection:
        assert revision.is_current(connection)
        row = connection.execute(select(dwellings)).mappings().one()
    assert (row["reference"], row["floor"]) == ("A-01", 2)
    engine.dispose()


def test_the_migrate_command_on_a_box_with_reports_keeps_them(
    data_dir, pepper, small_estate, engine
):
    with engine.begin() as connection:
        code = access_codes.find(connection, pepper, small_estate.codes["A-01"])
        profile_id = people.create_profile(
            connection, code["id"], small_estate.dwellings["A-01"], "Odette", "fr", PIN, PIN
        )
        report_domain.file(
            connection, people.get_profile(connection, profile_id), "lift", "lift", "Panne"
        )
    command = [
        str(Path(sys.executable).with_name("residacoeur")),
        "box",
        "migrate",
        "--data-dir",
        str(data_dir),
    ]
    for _ in range(2):
        subprocess.run(command, check=True, capture_output=True)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(dwellings)).scalar() == 4
        assert connection.execute(select(reports.c.description)).scalars().all() == ["Panne"]


def test_every_table_tenants_see_still_counts_its_changes_at_the_newest_revision(engine):
    watched = [
        table
        for script in (migrations.SCRIPTS / "versions").glob("*.py")
        for table in getattr(
            importlib.import_module(f"core.storage.alembic.versions.{script.stem}"),
            "WATCHED",
            (),
        )
    ]
    assert "posts" in watched and "events" in watched
    with engine.connect() as connection:
        triggers = set(
            connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            ).scalars()
        )
    for table in watched:
        for operation in ("insert", "update", "delete"):
            assert f"{table}_{operation}_bumps_content_version" in triggers


def test_works_of_one_building_become_works_with_that_building_as_their_scope(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'box.sqlite3'}")
    migrations.upgrade(engine, "0003")
    with engine.begin() as connection:
        for statement in (
            "INSERT INTO residences (id, name, district, city)"
            " VALUES ('r1', 'Les Tilleuls', 'La Viste', 'Marseille')",
            "INSERT INTO buildings (id, residence_id, name, address) VALUES ('b1', 'r1', 'A', '')",
            "INSERT INTO publishers (id, name, kind) VALUES ('p1', 'Habitat Sud', 'landlord')",
            "INSERT INTO works_notices (id, building_id, title, location, starts_on, ends_on,"
            " tenant_action, published_at) VALUES ('w1', 'b1', 'Ascenseur', 'Hall',"
            " '2026-12-01', '2026-12-20', '', '2026-11-30 10:00:00')",
        ):
            connection.exec_driver_sql(statement)
    migrations.upgrade(engine)
    with engine.begin() as connection:
        notice = connection.execute(select(works_notices)).mappings().one()
        assert (notice["scope_kind"], notice["scope_ref"]) == ("building", "b1")
        assert notice["publisher_id"] == "p1"
        before = connection.exec_driver_sql("SELECT version FROM content_version").scalar()
        connection.execute(works_notices.update().values(title="Ascenseur neuf"))
        after = connection.exec_driver_sql("SELECT version FROM content_version").scalar()
    assert after == before + 1
    engine.dispose()


def test_buildings_from_before_references_get_a_code_each_from_their_name(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'box.sqlite3'}")
    migrations.upgrade(engine, "0013")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO residences (id, name, district, city)"
            " VALUES ('r1', 'Les Tilleuls', 'La Viste', 'Marseille')"
        )
        for building_id, name in [("b1", "Bâtiment A"), ("b2", "Bloc Alpha"), ("b3", "Tour 3")]:
            connection.exec_driver_sql(
                "INSERT INTO buildings (id, residence_id, name, address)"
                f" VALUES ('{building_id}', 'r1', '{name}', '')"
            )
    migrations.upgrade(engine)
    with engine.connect() as connection:
        codes = dict(connection.execute(select(buildings.c.id, buildings.c.code)).all())
    # In name order: "Bloc Alpha" would also be BA, and comes second.
    assert codes == {"b1": "BA", "b2": "BA2", "b3": "T3"}
