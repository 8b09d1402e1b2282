"""Landlord agents find, read and answer tenants' reports; caretakers only read them."""

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select, update

from core.domain import access_codes, people, reports
from core.domain.clock import utcnow
from core.storage.schema import audit_log
from core.storage.schema import reports as report_table
from tests.browser.words import translated_plural
from tests.conftest import PIN


@pytest.fixture
def filed(engine, pepper, small_estate) -> dict[str, dict]:
    """Four reports: two in building A (one a month old), one in B, one already solved."""
    with engine.begin() as connection:
        profiles = {}
        for reference in ("A-01", "A-02", "B-01"):
            found = access_codes.find(connection, pepper, small_estate.codes[reference])
            profile_id = people.create_profile(
                connection, found["id"], found["dwelling_id"], reference, "fr", PIN, PIN
            )
            profiles[reference] = people.get_profile(connection, profile_id)
        made = {
            "lift": reports.file(connection, profiles["A-01"], "lift", "lift", "Bloqué au 3e"),
            "old_noise": reports.file(
                connection, profiles["A-02"], "noise", "staircase", "Musique la nuit"
            ),
            "b_damage": reports.file(
                connection, profiles["B-01"], "damage", "hall", "Vitre cassée"
            ),
            "solved": reports.file(connection, profiles["A-02"], "pests", "dwelling", "Cafards"),
        }
        connection.execute(
            update(report_table)
            .where(report_table.c.id == made["old_noise"])
            .values(created_at=utcnow() - timedelta(days=40))
        )
        agent = people.get_staff(connection, small_estate.staff["agent"])
        reports.move(connection, agent, made["solved"], "resolved", "Traitement fait")
    with engine.connect() as connection:
        return {key: reports.get(connection, report_id) for key, report_id in made.items()}


def _numbers(browser, query: str = "") -> set[int]:
    page = browser.get(f"/staff/reports{query}").get_data(as_text=True)
    return {int(n) for n in re.findall(r"/staff/reports/\w+\">[^<]*?(\d+)<", page)}


def test_filters_by_building_status_category_and_age_return_the_right_reports(
    browser, small_estate, filed
):
    browser.sign_in_staff("agent")
    number = {key: report["number"] for key, report in filed.items()}
    assert _numbers(browser) == set(number.values())
    assert _numbers(browser, f"?building={small_estate.building_b}") == {number["b_damage"]}
    assert _numbers(browser, "?status=open") == {
        number["lift"],
        number["old_noise"],
        number["b_damage"],
    }
    assert _numbers(browser, "?status=resolved") == {number["solved"]}
    assert _numbers(browser, "?category=noise") == {number["old_noise"]}
    assert _numbers(browser, "?age=over_month") == {number["old_noise"]}
    assert _numbers(browser, "?age=week&status=open&category=lift") == {number["lift"]}


def test_an_agent_sees_only_the_reports_of_their_buildings(browser, small_estate, filed):
    browser.sign_in_staff("agent.b")
    assert _numbers(browser) == {filed["b_damage"]["number"]}
    # Asking for a building that is not theirs shows their own reports, nothing more.
    assert _numbers(browser, f"?building={small_estate.building_a}") == {
        filed["b_damage"]["number"]
    }
    assert browser.get(f"/staff/reports/{filed['lift']['id']}").status_code == 404
    moved = browser.post(
        f"/staff/reports/{filed['lift']['id']}/status",
        {"status": "acknowledged"},
        form_page="/staff/reports",
    )
    assert moved.status_code == 404


def test_a_caretaker_reads_reports_but_cannot_move_them(browser, small_estate, filed):
    browser.sign_in_staff("gardien")
    report_id = filed["lift"]["id"]
    page = browser.get(f"/staff/reports/{report_id}").get_data(as_text=True)
    assert "Bloqué au 3e" in page
    assert f"/staff/reports/{report_id}/status" not in page
    moved = browser.post(
        f"/staff/reports/{report_id}/status", {"status": "acknowledged"}, form_page="/staff/"
    )
    assert moved.status_code == 403
    replied = browser.post(
        f"/staff/reports/{report_id}/messages", {"body": "Bonjour"}, form_page="/staff/"
    )
    assert replied.status_code == 403


def test_a_status_move_with_a_message_appears_on_the_tenants_report_page(
    browser, other_browser, small_estate, filed, engine
):
    browser.sign_in_staff("agent")
    report_id = filed["lift"]["id"]
    page = f"/staff/reports/{report_id}"
    moved = browser.post(
        f"{page}/status",
        {
            "status": "scheduled",
            "scheduled_for": (utcnow().date() + timedelta(days=3)).isoformat(),
            "message": "Le technicien passe jeudi matin.",
        },
        form_page=page,
    )
    assert moved.status_code == 302
    other_browser.activate(small_estate.codes["A-01"], name="Odette")
    tenant_page = other_browser.get(f"/reports/{report_id}").get_data(as_text=True)
    assert "Le technicien passe jeudi matin." in tenant_page
    assert "status--scheduled" in tenant_page
    with engine.connect() as connection:
        assert (
            connection.execute(
                select(audit_log.c.target)
                .where(audit_log.c.action == "report.move")
                .order_by(audit_log.c.id.desc())
            ).first()[0]
            == f"report:{filed['lift']['reference']}"
        )


def test_a_scheduled_move_without_a_date_is_refused_with_the_form_kept(
    browser, small_estate, filed, engine
):
    browser.sign_in_staff("agent")
    page = f"/staff/reports/{filed['lift']['id']}"
    refused = browser.post(
        f"{page}/status",
        {"status": "scheduled", "scheduled_for": "", "message": "Nous passons bientôt."},
        form_page=page,
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="scheduled_for-error"' in html
    assert "Nous passons bientôt." in html
    assert 'value="scheduled" checked' in html
    with engine.connect() as connection:
        assert reports.get(connection, filed["lift"]["id"])["status"] == "received"


def test_moving_to_not_responsible_without_a_reason_is_refused(browser, small_estate, filed):
    browser.sign_in_staff("agent")
    page = f"/staff/reports/{filed['lift']['id']}"
    refused = browser.post(f"{page}/status", {"status": "not_responsible"}, form_page=page)
    assert refused.status_code == 422
    assert 'id="message-error"' in refused.get_data(as_text=True)


def test_a_duplicate_points_to_the_first_report_picked_from_the_building_s_open_ones(
    browser, small_estate, filed
):
    browser.sign_in_staff("agent")
    page = f"/staff/reports/{filed['old_noise']['id']}"
    form = browser.get(page).get_data(as_text=True)
    # Building A's other open report; not the solved one, nor building B's.
    assert re.findall(r'name="duplicate_of" value="(\w+)"', form) == [filed["lift"]["id"]]
    moved = browser.post(
        f"{page}/status",
        {
            "status": "duplicate",
            "duplicate_of": filed["lift"]["id"],
            "message": "Même panne que le signalement précédent.",
        },
        form_page=page,
    )
    assert moved.status_code == 302
    html = browser.get(page).get_data(as_text=True)
    assert f"Same problem as report no. {filed['lift']['reference']}." in html


def test_candidates_for_already_reported_come_same_kind_first_then_most_recent(
    browser, engine, small_estate, filed
):
    with engine.begin() as connection:
        tenant = people.get_profile(connection, filed["lift"]["author_profile_id"])
        leak = reports.file(connection, tenant, "leak", "dwelling", "Fuite")
        lift_again = reports.file(connection, tenant, "lift", "lift", "Encore bloqué")
        newest_leak = reports.file(connection, tenant, "leak", "dwelling", "Fuite encore")
    browser.sign_in_staff("agent")
    form = browser.get(f"/staff/reports/{filed['lift']['id']}").get_data(as_text=True)
    offered = re.findall(r'name="duplicate_of" value="(\w+)"', form)
    assert offered == [lift_again, newest_leak, leak, filed["old_noise"]["id"]]


def test_an_agent_reply_reaches_the_household_without_changing_the_status(
    browser, other_browser, small_estate, filed, engine
):
    browser.sign_in_staff("agent")
    report_id = filed["b_damage"]["id"]
    page = f"/staff/reports/{report_id}"
    sent = browser.post(
        f"{page}/messages", {"body": "Pouvez-vous envoyer une photo ?"}, form_page=page
    )
    assert sent.status_code == 302
    with engine.connect() as connection:
        assert reports.get(connection, report_id)["status"] == "received"
        actions = set(connection.execute(select(audit_log.c.action)).scalars())
    assert "report.reply" in actions
    other_browser.activate(small_estate.codes["B-01"])
    assert "Pouvez-vous envoyer une photo ?" in other_browser.get(f"/reports/{report_id}").get_data(
        as_text=True
    )


def test_a_long_list_of_reports_comes_a_page_at_a_time_with_its_whole_count(
    browser, engine, small_estate, filed
):
    with engine.begin() as connection:
        tenant = people.get_profile(connection, filed["lift"]["author_profile_id"])
        for number in range(reports.AGENT_PAGE_SIZE):
            reports.file(connection, tenant, "lift", "lift", f"Toujours bloqué ({number})")
    everything = reports.AGENT_PAGE_SIZE + len(filed)
    browser.sign_in_staff("agent")
    first = browser.get("/staff/reports").get_data(as_text=True)
    assert translated_plural("en", "%(num)d report", "%(num)d reports", everything) in first
    further = re.search(r'href="/staff/reports(\?[^"]*after=[^"]+)"', first).group(1)
    first_numbers, next_numbers = _numbers(browser), _numbers(browser, unescape(further))
    assert len(first_numbers) == reports.AGENT_PAGE_SIZE
    assert not first_numbers & next_numbers
    assert len(first_numbers | next_numbers) == everything

    dashboard = browser.get("/staff/").get_data(as_text=True)
    still_open = everything - 1
    assert (
        translated_plural(
            "en",
            "%(num)d open report in your buildings.",
            "%(num)d open reports in your buildings.",
            still_open,
        )
        in dashboard
    )
