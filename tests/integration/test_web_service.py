"""The web service under gunicorn: health, readiness, limits shared by every worker."""

import pytest

from core.storage.engine import make_engine
from tests.integration.gunicorn_box import RunningBox, Visitor

LIMIT = 4


@pytest.fixture
def running_box(data_dir, small_estate):
    box = RunningBox(
        data_dir, workers=3, env={"RESIDACOEUR_LOGIN_ATTEMPTS_PER_ADDRESS": str(LIMIT)}
    )
    yield box
    box.stop()


def test_the_box_is_served_by_several_gunicorn_workers(running_box):
    assert len(running_box.worker_pids(expected=3)) == 3
    status, body = Visitor(running_box.url).get("/healthz")
    assert status == 200 and '"ok"' in body


def test_wrong_codes_are_limited_per_address_across_all_workers(running_box, small_estate):
    statuses = []
    for _ in range(LIMIT + 2):
        # A new visitor each time: a fresh session and a fresh connection, so the
        # attempts are spread over the workers and only the database can count them.
        visitor = Visitor(running_box.url)
        status, _body = visitor.post_form("/welcome", {"code": "K7QM-4RZT-9XPD"}, "/welcome")
        statuses.append(status)
    assert statuses == [422] * LIMIT + [429, 429]
    status, body = Visitor(running_box.url).post_form(
        "/welcome", {"code": small_estate.codes["A-01"]}, "/welcome"
    )
    assert status == 429
    assert "minutes" in body or "minute" in body


def test_readiness_reports_an_outdated_schema(data_dir, small_estate):
    engine = make_engine(f"sqlite:///{data_dir / 'box.sqlite3'}")
    box = RunningBox(data_dir, workers=1)
    try:
        visitor = Visitor(box.url)
        assert visitor.get("/readyz")[0] == 200
        with engine.begin() as connection:
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'old'")
        status, body = visitor.get("/readyz")
        assert status == 503 and "outdated" in body
        assert visitor.get("/healthz")[0] == 200
    finally:
        box.stop()
        engine.dispose()
