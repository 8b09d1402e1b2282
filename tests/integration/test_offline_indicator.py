"""On a box linked to a hub: tenants see which reports have not reached the landlord yet,
and the box's own staff pages show reports without answering them (the hub does)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from core.domain import access_codes, outbox, people, reports, side
from core.domain.clock import utcnow
from core.storage.schema import outbox as outbox_table
from tests.conftest import PIN, Browser
from tests.support.api_client import Api

WAITING = "notice--waiting"
NOT_SENT_FR = "Votre bailleur n’a pas encore reçu ce signalement."


def _tenant(connection, pepper, estate, reference: str) -> dict:
    found = access_codes.find(connection, pepper, estate.codes[reference])
    profile_id = people.create_profile(
        connection, found["id"], found["dwelling_id"], reference, "fr", PIN, PIN
    )
    return people.get_profile(connection, profile_id)


@pytest.fixture
def linked(engine, pepper, small_estate) -> dict[str, str]:
    """A box linked to the hub: one report told to the hub, one the hub already has."""
    with engine.begin() as connection:
        side.become_box(connection, "box-a")
        odette = _tenant(connection, pepper, small_estate, "A-01")
        arrived = reports.file(connection, odette, "noise", "staircase", "Musique la nuit")
        outbox.tell_hub(connection, "report.filed", {"id": arrived}, subject_id=arrived)
        outbox.acknowledged(connection, side.HUB, _last_seq(connection))
        waiting = reports.file(connection, odette, "lift", "lift", "Bloqué au 3e")
        outbox.tell_hub(connection, "report.filed", {"id": waiting}, subject_id=waiting)
    _age_waiting_messages(engine)
    return {"arrived": arrived, "waiting": waiting, "code": small_estate.codes["A-01"]}


def _age_waiting_messages(engine) -> None:
    """Make what waits in the outbox older than a working link ever lets it wait."""
    long_ago = utcnow() - outbox.LATE_AFTER - timedelta(seconds=1)
    with engine.begin() as connection:
        connection.execute(update(outbox_table).values(created_at=long_ago))


def _last_seq(connection) -> int:
    return max(message["seq"] for message in outbox.waiting(connection, side.HUB))


def _hub_acknowledges_everything(engine) -> None:
    with engine.begin() as connection:
        outbox.acknowledged(connection, side.HUB, _last_seq(connection))


def _signed_in(app, code: str) -> Browser:
    tenant = Browser(app.test_client())
    tenant.post("/welcome", {"code": code})
    tenant.post("/welcome/who/" + _first_member(app, code), {"pin": PIN}, form_page="/welcome")
    return tenant


def _first_member(app, code: str) -> str:
    with app.extensions["engine"].connect() as connection:
        found = access_codes.find(connection, app.config["ACCESS_CODE_PEPPER"], code)
        return people.household(connection, found["dwelling_id"])[0]["id"]


def _cards(html: str) -> list[str]:
    return html.split('<article class="card report-card">')[1:]


def test_a_report_not_yet_at_the_landlord_says_so_until_the_hub_has_it(app, engine, linked):
    tenant = _signed_in(app, linked["code"])
    waiting_page = f"/reports/{linked['waiting']}"
    for page in ("/", "/reports", waiting_page):
        assert NOT_SENT_FR in tenant.get(page).get_data(as_text=True), page
    flagged = [
        card for card in _cards(tenant.get("/reports").get_data(as_text=True)) if WAITING in card
    ]
    assert len(flagged) == 1 and linked["waiting"] in flagged[0]
    assert WAITING not in tenant.get(f"/reports/{linked['arrived']}").get_data(as_text=True)

    _hub_acknowledges_everything(engine)
    # The pages were kept by the worker: the outbox's change retires them on its own.
    for page in ("/", "/reports", waiting_page):
        assert WAITING not in tenant.get(page).get_data(as_text=True), page


def test_a_tenant_message_waiting_for_the_link_shows_the_notice_again(app, engine, linked):
    _hub_acknowledges_everything(engine)
    tenant = _signed_in(app, linked["code"])
    page = f"/reports/{linked['arrived']}"
    assert WAITING not in tenant.get(page).get_data(as_text=True)
    with engine.begin() as connection:
        outbox.tell_hub(connection, "report.message", {}, subject_id=linked["arrived"])
    with engine.connect() as connection:
        # On its way: nothing to say yet.
        assert outbox.not_delivered(connection, [linked["arrived"]]) == set()
    _age_waiting_messages(engine)
    assert WAITING in tenant.get(page).get_data(as_text=True)


def test_a_report_just_filed_is_not_called_late(app, engine, pepper, small_estate):
    with engine.begin() as connection:
        side.become_box(connection, "box-a")
        _tenant(connection, pepper, small_estate, "A-01")
    tenant = _signed_in(app, small_estate.codes["A-01"])
    filed = tenant.post(
        "/reports",
        {"category": "lift", "location": "lift", "description": "Bloqué au 3e"},
        form_page="/reports/new",
    )
    assert filed.status_code == 302
    report_id = filed.headers["Location"].rsplit("/", 1)[1]
    confirmation = tenant.get(f"/reports/{report_id}").get_data(as_text=True)
    # One message, and it is true: the report is on its way.
    assert "Votre signalement a été envoyé à votre bailleur." in confirmation
    assert WAITING not in confirmation
    # Still waiting two minutes later: then the tenant is told, in plain words.
    with engine.connect() as connection:
        later = utcnow() + outbox.LATE_AFTER + timedelta(seconds=1)
        assert outbox.not_delivered(connection, [report_id], now=later) == {report_id}
        assert outbox.not_delivered(connection, [report_id]) == set()


def test_the_api_says_whether_the_landlord_has_each_report(app, engine, linked):
    tenant = Api(app.test_client())
    assert tenant.post("/session/code", {"code": linked["code"]}).status_code == 200
    member = _first_member(app, linked["code"])
    assert tenant.post("/session/pin", {"profile_id": member, "pin": PIN}).status_code == 200

    def delivered() -> dict[str, bool]:
        mine = tenant.get("/reports").get_json()["mine"]
        return {report["id"]: report["delivered_to_landlord"] for report in mine}

    assert delivered() == {linked["waiting"]: False, linked["arrived"]: True}
    one = tenant.get(f"/reports/{linked['waiting']}").get_json()
    assert one["delivered_to_landlord"] is False
    _hub_acknowledges_everything(engine)
    assert delivered() == {linked["waiting"]: True, linked["arrived"]: True}


def test_a_box_on_its_own_never_shows_the_notice(app, engine, pepper, small_estate):
    with engine.begin() as connection:
        odette = _tenant(connection, pepper, small_estate, "A-01")
        report_id = reports.file(connection, odette, "lift", "lift", "Bloqué au 3e")
    tenant = _signed_in(app, small_estate.codes["A-01"])
    for page in ("/", "/reports", f"/reports/{report_id}"):
        assert WAITING not in tenant.get(page).get_data(as_text=True), page


def test_on_a_linked_box_the_agent_reads_reports_answered_at_the_hub(browser, linked):
    browser.sign_in_staff("agent")
    dashboard = browser.get("/staff/").get_data(as_text=True)
    assert "Reports to handle" not in dashboard and "Reports from tenants" in dashboard
    page = browser.get(f"/staff/reports/{linked['waiting']}").get_data(as_text=True)
    assert "answered in the hub's console" in page
    assert "/status" not in page and "/messages" not in page
    assert "<textarea" not in page


def test_on_a_box_on_its_own_the_agent_answers_reports_there(browser, engine, pepper, small_estate):
    with engine.begin() as connection:
        odette = _tenant(connection, pepper, small_estate, "A-01")
        report_id = reports.file(connection, odette, "lift", "lift", "Bloqué au 3e")
    browser.sign_in_staff("agent")
    page = browser.get(f"/staff/reports/{report_id}").get_data(as_text=True)
    assert f'action="/staff/reports/{report_id}/status"' in page
    assert "answered in the hub" not in page
