"""The demo estate is realistic enough to try every part of the box."""

import json

from sqlalchemy import func, select

from appliance.demo import estate as demo
from appliance.domain import access_codes
from appliance.domain import report_status as rs
from appliance.storage.schema import buildings, dwellings, news, publishers, reports, works_notices


def test_the_demo_has_two_buildings_forty_dwellings_and_reports_in_every_state(engine, pepper):
    with engine.begin() as connection:
        logins = demo.build(connection, pepper)
        assert connection.execute(select(func.count()).select_from(buildings)).scalar() == 2
        assert connection.execute(select(func.count()).select_from(dwellings)).scalar() >= 40
        statuses = set(connection.execute(select(reports.c.status)).scalars())
        assert statuses == set(rs.STATUSES)
        kinds = set(connection.execute(select(publishers.c.kind).join(news)).scalars())
        assert {"neighbourhood", "town_hall", "city", "landlord"} <= kinds
        assert connection.execute(select(func.count()).select_from(works_notices)).scalar() >= 2
        for tenant in logins["tenants"]:
            found = access_codes.find(connection, pepper, tenant["code"])
            assert found is not None, tenant["dwelling"]
    roles = {member["role"] for member in logins["staff"]}
    assert roles == {"landlord_agent", "caretaker", "publisher", "merchant", "operator"}
    assert any(tenant["profiles"] for tenant in logins["tenants"])
    assert any(not tenant["profiles"] for tenant in logins["tenants"])


def test_a_second_start_reuses_the_logins_file(engine, pepper, tmp_path):
    logins_file = tmp_path / "demo-logins.json"
    with engine.begin() as connection:
        first = demo.ensure_demo_estate(connection, pepper, logins_file)
    logins_file.write_text(json.dumps(first), encoding="utf-8")
    with engine.begin() as connection:
        again = demo.ensure_demo_estate(connection, pepper, logins_file)
        assert again == first
        assert connection.execute(select(func.count()).select_from(buildings)).scalar() == 2
