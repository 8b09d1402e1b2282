"""Requests drawn from the OpenAPI document never get a 5xx, whoever sends them.

In the suite each persona gets a few dozen requests per operation they may use, from a
fixed seed. ``scripts/fuzz-api.sh`` runs the same tests for minutes with random seeds:
it sets API_FUZZ_SECONDS, the time the personas share.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from core.domain import access_codes, news, works
from core.domain.clock import utcnow
from tests.conftest import PIN
from tests.support.api_client import Api, file_report
from tests.support.api_fuzz import Budget, Persona, fuzz
from tests.support.hub_reports import arrived

# Fits the suite's time (a quarter of a minute a persona on a small machine); a fixed
# seed, so a failure in CI is the same on a laptop.
SUITE = Budget(examples=30, probe=3, seed=20_251)
PERSONAS = 4


def _run(persona: Persona) -> None:
    """Fuzz as the persona, the suite's way or the long run's; fail on any 5xx."""
    seconds = os.environ.get("API_FUZZ_SECONDS")
    if seconds:
        # The long run prints what it finds as it goes (scripts/fuzz-api.sh runs pytest -s).
        budget = Budget(examples=200, probe=5, seconds=float(seconds) / PERSONAS)
        errors = fuzz(persona, budget, report=print)
    else:
        errors = fuzz(persona, SUITE)
    if errors:
        told = "\n\n".join(map(str, errors))
        pytest.fail(f"{len(errors)} server error(s):\n\n{told}", pytrace=False)


@pytest.fixture
def neighbourhood(engine, small_estate, tenant_of) -> Api:
    """Building A with news and works, and a neighbour's report, post and event."""
    today = utcnow().date()
    with engine.begin() as connection:
        news.publish(
            connection,
            small_estate.publishers["landlord"],
            "Eau",
            "Coupée.",
            "building",
            small_estate.building_a,
        )
        works.announce(
            connection, "building", small_estate.building_a, "Peinture", "Hall", today, today
        )
    neighbour = tenant_of("A-02", name="Karim")
    assert file_report(neighbour, "hall").status_code == 201
    post = {"category": "giving", "scope": "building", "title": "Table", "body": "À donner."}
    posted = neighbour.post(
        "/board", data={**post, "accept_charter": "true"}, content_type="multipart/form-data"
    )
    assert posted.status_code == 201
    event = {
        "scope": "building",
        "title": "Goûter",
        "place": "La cour",
        "starts_at": "2100-06-01T16:00:00Z",
        "ends_at": "2100-06-01T18:00:00Z",
    }
    assert neighbour.post("/events", event).status_code == 201
    return neighbour


def test_a_tenant_never_gets_a_server_error(app, engine, pepper, small_estate, neighbourhood):
    letter = {"code": small_estate.codes["A-01"]}

    def sign_in() -> Api:
        tenant = Api(app.test_client())
        household = tenant.post("/session/code", letter).get_json()
        odette = [m["id"] for m in household["members"] if m["display_name"] == "Odette"]
        if odette:
            signed_in = tenant.post("/session/pin", {"profile_id": odette[0], "pin": PIN})
            assert signed_in.status_code == 200
            return tenant
        # Erasing one's profile is among the operations fuzzed: then a new letter brings
        # a new profile, as the caretaker's would.
        with engine.begin() as connection:
            letter["code"] = access_codes.issue(connection, pepper, small_estate.dwellings["A-01"])
        assert tenant.activate(letter["code"]).status_code == 201
        return tenant

    def code_typed() -> Api:
        device = Api(app.test_client())
        assert device.post("/session/code", {"code": small_estate.codes["A-03"]}).status_code == 200
        return device

    signing_in = {"/session/pin": code_typed, "/session/profile": code_typed}
    _run(Persona("tenant", app, sign_in, signing_in))


@pytest.mark.parametrize(
    ("persona", "username"), [("caretaker", "gardien"), ("landlord agent on the box", "agent")]
)
def test_staff_of_the_box_never_get_a_server_error(app, staff, neighbourhood, persona, username):
    _run(Persona(persona, app, lambda: staff(username)))


def test_a_landlord_agent_at_the_hub_never_gets_a_server_error(
    hub, hub_staff, engine, small_estate
):
    with engine.begin() as connection:
        arrived(connection, small_estate, 1, "A", timedelta(days=3), [("acknowledged", 2)])
        arrived(connection, small_estate, 1, "B", timedelta(days=1), photo=True)
    _run(Persona("landlord agent at the hub", hub, lambda: hub_staff("agent")))
