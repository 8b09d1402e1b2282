"""The staff side of the API: roles decide what, buildings decide where, and all is audited."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from core.domain import people, reports
from core.domain.clock import utcnow
from tests.support.api_client import Api, file_report, is_problem, png


def test_roles_without_the_permission_are_refused(staff, small_estate, tenant_of):
    report = file_report(tenant_of("A-01")).get_json()
    caretaker = staff("gardien")
    assert caretaker.get(f"/staff/reports/{report['id']}").status_code == 200
    moved = caretaker.post(f"/staff/reports/{report['id']}/status", {"status": "acknowledged"})
    assert is_problem(moved, 403, "forbidden")
    assert is_problem(staff("mairie").get("/staff/reports"), 403)
    assert is_problem(staff("agent").get("/staff/audit"), 403)
    assert is_problem(caretaker.get("/staff/dwellings"), 403)


def test_tenants_and_strangers_are_not_signed_in_as_staff(app, tenant_of):
    assert is_problem(tenant_of("A-01").get("/staff/reports"), 401, "not_signed_in")
    assert is_problem(Api(app.test_client()).get("/staff/reports"), 401)


def test_staff_do_not_see_reports_of_other_buildings(staff, tenant_of, small_estate):
    in_a = file_report(tenant_of("A-01")).get_json()
    in_b = file_report(tenant_of("B-01")).get_json()
    agent_b = staff("agent.b")
    listed = agent_b.get("/staff/reports").get_json()["reports"]
    assert [r["id"] for r in listed] == [in_b["id"]]
    assert is_problem(agent_b.get(f"/staff/reports/{in_a['id']}"), 404, "report_not_found")
    moved = agent_b.post(f"/staff/reports/{in_a['id']}/status", {"status": "acknowledged"})
    assert is_problem(moved, 404)
    answer = agent_b.post(f"/staff/reports/{in_a['id']}/messages", {"body": "Bonjour"})
    assert is_problem(answer, 404)
    filtered = agent_b.get("/staff/reports", query_string={"building": small_estate.building_a})
    assert is_problem(filtered, 404)


def test_report_filters_and_unknown_filter_values(staff, tenant_of, small_estate):
    file_report(tenant_of("A-01"), category="pests")
    file_report(tenant_of("B-01"), category="noise")
    agent = staff("agent")
    by_category = agent.get("/staff/reports", query_string={"category": "pests"})
    assert [r["category"] for r in by_category.get_json()["reports"]] == ["pests"]
    by_building = agent.get("/staff/reports", query_string={"building": small_estate.building_b})
    assert [r["building"]["name"] for r in by_building.get_json()["reports"]] == ["Bâtiment B"]
    today = agent.get("/staff/reports", query_string={"age": "today", "status": "received"})
    assert len(today.get_json()["reports"]) == 2
    refused = agent.get("/staff/reports", query_string={"age": "century"})
    assert is_problem(refused, 422, "filter_unknown")
    assert refused.get_json()["field"] == "age"


def test_moves_are_checked_and_explained_by_field(staff, tenant_of):
    tenant = tenant_of("A-01")
    report = file_report(tenant).get_json()
    original = file_report(tenant, "staircase").get_json()
    agent = staff("agent")
    path = f"/staff/reports/{report['id']}/status"
    closed = agent.post(path, {"status": "closed"})
    assert is_problem(closed, 422, "move_not_allowed")
    past = (utcnow().date() - timedelta(days=2)).isoformat()
    assert agent.post(path, {"status": "scheduled", "scheduled_for": past}).get_json()["field"] == (
        "scheduled_for"
    )
    no_reason = agent.post(path, {"status": "duplicate", "duplicate_of": original["id"]})
    assert is_problem(no_reason, 422, "reason_missing")
    unknown = agent.post(
        path, {"status": "duplicate", "message": "Déjà signalé", "duplicate_of": "x"}
    )
    assert unknown.get_json()["field"] == "duplicate_of"
    duplicate = agent.post(
        path, {"status": "duplicate", "message": "Déjà signalé", "duplicate_of": original["id"]}
    )
    assert duplicate.status_code == 200
    assert duplicate.get_json()["duplicate_of"] == original["id"]
    assert duplicate.get_json()["next_statuses"] == ["closed"]


def test_a_dwelling_is_registered_with_a_code_that_works_once_shown(staff, app, small_estate):
    agent = staff("agent")
    created = agent.post(
        "/staff/dwellings",
        {"building_id": small_estate.building_b, "reference": "B-07", "staircase": "2", "floor": 3},
    )
    assert created.status_code == 201
    assert created.headers["Cache-Control"] == "no-store"
    issued = created.get_json()
    assert issued["dwelling"]["reference"] == "B-07"
    assert issued["dwelling"]["code_issued_at"].endswith("Z")
    newcomer = Api(app.test_client())
    assert newcomer.activate(issued["code"]).status_code == 201
    listed = agent.get("/staff/dwellings", query_string={"building": small_estate.building_b})
    assert [d["reference"] for d in listed.get_json()["dwellings"]] == ["B-01", "B-07"]


def test_registering_in_another_building_or_twice_is_refused(staff, small_estate):
    agent_b = staff("agent.b")
    other = agent_b.post(
        "/staff/dwellings",
        {"building_id": small_estate.building_a, "reference": "A-09", "floor": 1},
    )
    assert is_problem(other, 404, "building_not_found")
    taken = agent_b.post(
        "/staff/dwellings",
        {"building_id": small_estate.building_b, "reference": "B-01", "floor": 1},
    )
    assert is_problem(taken, 422, "reference_taken")
    assert taken.get_json()["field"] == "reference"


def test_a_reissued_code_replaces_the_old_one(staff, app, small_estate):
    agent = staff("agent")
    dwelling = small_estate.dwellings["A-03"]
    reissued = agent.post(f"/staff/dwellings/{dwelling}/code")
    assert reissued.status_code == 200
    assert reissued.headers["Cache-Control"] == "no-store"
    stranger = Api(app.test_client())
    old = stranger.post("/session/code", {"code": small_estate.codes["A-03"]})
    assert is_problem(old, 422, "code_unknown")
    assert stranger.post("/session/code", {"code": reissued.get_json()["code"]}).status_code == 200
    assert is_problem(staff("agent.b").post(f"/staff/dwellings/{dwelling}/code"), 404)


def test_after_moving_out_the_household_can_no_longer_sign_in(staff, tenant_of, small_estate):
    tenant = tenant_of("A-02")
    moved = staff("agent").post(f"/staff/dwellings/{small_estate.dwellings['A-02']}/move-out")
    assert moved.status_code == 200
    assert moved.get_json()["profiles_left"] == 1
    assert moved.get_json()["dwelling"]["code_issued_at"] is None
    assert is_problem(tenant.get("/me"), 401)


def test_a_roster_is_imported_whole_with_one_code_per_dwelling(staff, small_estate):
    agent = staff("agent")
    roster = "reference;building;staircase;floor\nA-10;Bâtiment A;1;2\nB-10;Bâtiment B;2;0\n"
    imported = agent.post("/staff/dwellings/import", data=roster.encode(), content_type="text/csv")
    assert imported.status_code == 201
    assert imported.headers["Cache-Control"] == "no-store"
    issued = imported.get_json()["issued"]
    assert [row["dwelling"]["reference"] for row in issued] == ["A-10", "B-10"]
    assert all(len(row["code"]) == 14 for row in issued)


def test_a_roster_with_bad_lines_imports_nothing_and_names_each_line(staff, small_estate):
    agent_b = staff("agent.b")
    roster = "reference,building,staircase,floor\nB-11,Bâtiment B,1,1\nA-11,Bâtiment A,1,x\n"
    refused = agent_b.post("/staff/dwellings/import", data=roster, content_type="text/csv")
    assert is_problem(refused, 422, "roster_invalid")
    assert {line["line"] for line in refused.get_json()["lines"]} == {3}
    listed = agent_b.get("/staff/dwellings").get_json()["dwellings"]
    assert [d["reference"] for d in listed] == ["B-01"]
    as_json = agent_b.post("/staff/dwellings/import", {"csv": roster})
    assert is_problem(as_json, 415)


def test_a_french_excel_roster_in_windows_1252_is_imported(staff):
    roster = "Référence;Bâtiment;Escalier;Étage\r\nB-12;Bâtiment B;Entrée 1;1\r\n".encode("cp1252")
    imported = staff("agent.b").post(
        "/staff/dwellings/import", data=roster, content_type="text/csv"
    )
    assert imported.status_code == 201
    [issued] = imported.get_json()["issued"]
    assert (issued["dwelling"]["reference"], issued["dwelling"]["staircase"]) == (
        "B-12",
        "Entrée 1",
    )


@pytest.mark.parametrize(
    "bad_line",
    [
        b"B-13;B\x81timent B;1;1",
        b"B-13;" + b"x" * 200_000 + b";1;1",
        "B-\x0013;Bâtiment B;1;1".encode(),
    ],
    ids=["no-encoding", "overlong-cell", "nul"],
)
def test_a_roster_line_that_cannot_be_read_is_refused_with_its_number(staff, bad_line):
    roster = "reference;building;staircase;floor\nB-12;Bâtiment B;1;1\n".encode() + bad_line + b"\n"
    refused = staff("agent.b").post("/staff/dwellings/import", data=roster, content_type="text/csv")
    assert is_problem(refused, 422, "roster_invalid")
    assert [line["line"] for line in refused.get_json()["lines"]] == [3]


def publish_news(api: Api, **fields):
    return api.post("/staff/news", data=fields, content_type="multipart/form-data")


def test_news_reaches_the_district_of_my_building_with_its_picture(staff, tenant_of, small_estate):
    published = publish_news(
        staff("mairie"),
        building_id=small_estate.building_a,
        scope="district",
        title="Fête",
        body="Samedi sur la place.",
        expires_at="2099-01-01T12:00:00+01:00",
        photo=(io.BytesIO(png()), "affiche.png"),
    )
    assert published.status_code == 201
    item = published.get_json()
    assert item["publisher"]["name"] == "Mairie 15e"
    assert item["expires_at"] == "2099-01-01T11:00:00Z"
    tenant = tenant_of("B-01")
    assert [n["title"] for n in tenant.get("/news").get_json()["news"]] == ["Fête"]
    assert tenant.client.get(item["photo"]["url"]).mimetype == "image/jpeg"


def test_news_for_another_building_or_without_a_publisher_is_refused(staff, small_estate):
    fields = {"scope": "building", "title": "Travaux", "body": "Lundi."}
    elsewhere = publish_news(staff("agent.b"), building_id=small_estate.building_a, **fields)
    assert is_problem(elsewhere, 404)
    no_scope = publish_news(
        staff("agent.b"), building_id=small_estate.building_b, **{**fields, "scope": "planet"}
    )
    assert is_problem(no_scope, 422, "scope_unknown")
    as_json = staff("mairie").post(
        "/staff/news", {**fields, "building_id": small_estate.building_a}
    )
    assert is_problem(as_json, 415)


def announce_works(api: Api, **fields):
    return api.post("/staff/works", data=fields, content_type="multipart/form-data")


def test_works_are_announced_for_my_buildings_or_around_them(staff, tenant_of, small_estate):
    assert is_problem(staff("gardien").post("/staff/works", data={}), 403)
    start = utcnow().date() + timedelta(days=1)
    works = {
        "scope": "building",
        "title": "Toiture",
        "location": "Toit",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=2)).isoformat(),
    }
    agent_b = staff("agent.b")
    elsewhere = announce_works(agent_b, building_id=small_estate.building_a, **works)
    assert is_problem(elsewhere, 404)
    announced = announce_works(
        agent_b,
        building_id=small_estate.building_b,
        **works,
        photo=(io.BytesIO(png()), "toit.png"),
    )
    assert announced.status_code == 201
    notice = announced.get_json()
    assert (notice["scope"], notice["scope_name"]) == ("building", "Bâtiment B")
    assert notice["publisher"]["name"] == "Habitat Sud"
    tenant = tenant_of("B-01")
    listed = tenant.get("/works").get_json()["works"]
    assert [n["title"] for n in listed] == ["Toiture"]
    assert tenant.client.get(listed[0]["photo"]["url"]).mimetype == "image/jpeg"
    in_a = tenant_of("A-01")
    assert in_a.get("/works").get_json()["works"] == []

    district = announce_works(
        staff("mairie"),
        building_id=small_estate.building_a,
        **{**works, "scope": "district", "title": "Chaussée"},
    )
    assert district.status_code == 201
    assert [n["title"] for n in in_a.get("/works").get_json()["works"]] == ["Chaussée"]
    no_date = announce_works(
        agent_b, building_id=small_estate.building_b, **{**works, "starts_on": ""}
    )
    assert no_date.get_json()["field"] == "starts_on"
    as_json = agent_b.post("/staff/works", {**works, "building_id": small_estate.building_b})
    assert is_problem(as_json, 415)


def test_a_works_notice_is_changed_through_the_api(staff, tenant_of, small_estate):
    agent = staff("agent")
    start = utcnow().date()
    notice = announce_works(
        agent,
        building_id=small_estate.building_a,
        scope="building",
        title="Peinture",
        location="Hall",
        starts_on=start.isoformat(),
        ends_on=start.isoformat(),
    ).get_json()
    changed = agent.patch(
        f"/staff/works/{notice['id']}",
        data={"scope": "residence", "building_id": small_estate.building_a, "title": "Peintures"},
        content_type="multipart/form-data",
    )
    assert changed.status_code == 200
    assert (changed.get_json()["title"], changed.get_json()["scope"]) == ("Peintures", "residence")
    assert changed.get_json()["location"] == "Hall"
    assert [n["title"] for n in tenant_of("B-01").get("/works").get_json()["works"]] == [
        "Peintures"
    ]
    later = agent.patch(
        f"/staff/works/{notice['id']}",
        data={"ends_on": (start - timedelta(days=1)).isoformat()},
        content_type="multipart/form-data",
    )
    assert is_problem(later, 422, "dates_order")


def test_the_operator_reads_every_staff_action_in_the_audit_log(staff, tenant_of, small_estate):
    report = file_report(tenant_of("A-01")).get_json()
    agent = staff("agent")
    agent.post(f"/staff/reports/{report['id']}/status", {"status": "acknowledged"})
    agent.post(f"/staff/reports/{report['id']}/messages", {"body": "Nous regardons."})
    agent.post(f"/staff/dwellings/{small_estate.dwellings['A-03']}/code")
    entries = staff("operateur").get("/staff/audit").get_json()["entries"]
    actions = [(e["action"], e["actor"]["name"] if e["actor"] else None) for e in entries]
    assert ("report.move", "Agent") in actions
    assert ("report.reply", "Agent") in actions
    assert ("code.issue", "Agent") in actions
    assert ("staff.sign_in", "Agent") in actions


def test_the_report_list_comes_a_page_at_a_time_with_its_whole_count(staff, tenant_of, engine):
    first = file_report(tenant_of("A-01")).get_json()
    with engine.begin() as connection:
        report = reports.get(connection, first["id"])
        tenant = people.get_profile(connection, report["author_profile_id"])
        for number in range(reports.AGENT_PAGE_SIZE):
            reports.file(connection, tenant, "lift", "lift", f"Toujours bloqué ({number})")
    agent = staff("agent")
    page = agent.get("/staff/reports").get_json()
    assert page["total"] == reports.AGENT_PAGE_SIZE + 1
    assert len(page["reports"]) == reports.AGENT_PAGE_SIZE and page["newer"]
    rest = agent.get("/staff/reports", query_string={"after": page["newer"]}).get_json()
    assert len(rest["reports"]) == 1 and rest["newer"] is None
    assert rest["total"] == page["total"]
    assert {r["id"] for r in page["reports"]}.isdisjoint({r["id"] for r in rest["reports"]})
    assert is_problem(agent.get("/staff/reports?after=soon"), 422, "page_unknown")
