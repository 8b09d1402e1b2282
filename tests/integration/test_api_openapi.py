"""The OpenAPI document says exactly what the API does: same routes, same JSON shapes."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime, time, timedelta

import pytest
from openapi_spec_validator import validate

from core.domain import deals, news, partners, works
from core.domain.clock import utcnow
from tests.support.api_client import PREFIX, Api, file_report, png
from tests.support.openapi_answers import documented_answer, mismatches, resolve

_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


@pytest.fixture
def document(app) -> dict:
    response = app.test_client().get(PREFIX + "/openapi.json")
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))


def test_the_document_is_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"
    # Raises on the first part of the document OpenAPI 3.1 does not allow.
    validate(document)
    assert document["servers"] == [{"url": PREFIX}]
    assert {"cookie", "csrf"} <= set(document["components"]["securitySchemes"])


def test_every_route_is_documented_and_every_documented_operation_exists(app, document):
    routes = {
        (method.lower(), _CONVERTER.sub(r"{\1}", rule.rule.removeprefix(PREFIX)))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(PREFIX + "/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {
        (method, path) for path, operations in document["paths"].items() for method in operations
    }
    assert routes - documented == set(), "routes missing from the document"
    assert documented - routes == set(), "documented operations that do not exist"


def test_every_reference_resolves_and_path_parameters_are_declared(document):
    text = json.dumps(document)
    for target in set(re.findall(r'"\$ref": "([^"]+)"', text)):
        assert resolve(document, {"$ref": target}), target
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            declared = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert declared == set(re.findall(r"{(\w+)}", path)), (method, path)
    ids = [op["operationId"] for ops in document["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))


def test_answers_have_exactly_the_documented_shapes(app, hub, document, engine, small_estate):
    today = utcnow().date()
    with engine.begin() as connection:
        news.publish(
            connection, small_estate.publishers["town_hall"], "Fête", "Samedi.", "city", "Marseille"
        )
        works.announce(
            connection, "building", small_estate.building_a, "Peinture", "Hall", today, today
        )
        deals.publish(
            connection,
            small_estate.publishers["shop"],
            "Galette",
            "En janvier.",
            today,
            today,
            [small_estate.residence_id],
        )
        partners.add(
            connection,
            None,
            name="Bibliothèque",
            category="digital",
            description="Aide au numérique.",
            address="",
            phone="",
            opening_hours="",
            scope_kind="city",
            scope_ref="Marseille",
        )
    tenant, neighbour, agent, operator = (Api(app.test_client()) for _ in range(4))
    checked = []

    def check(method: str, path: str, response) -> dict:
        if response.status_code == 204:
            answered = document["paths"][path][method]["responses"]["204"]
            assert "content" not in answered and not response.get_data(), (method, path)
        elif not response.is_json:
            answered = document["paths"][path][method]["responses"][str(response.status_code)]
            assert response.mimetype in resolve(document, answered)["content"], (method, path)
        else:
            schema = documented_answer(document, method, path, response)
            assert mismatches(document, response.get_json(), schema) == [], (method, path)
        checked.append((method, path))
        return response.get_json(silent=True)

    check("get", "/session", tenant.get("/session"))
    check(
        "post", "/session/code", tenant.post("/session/code", {"code": small_estate.codes["A-01"]})
    )
    profile = {"display_name": "Odette", "locale": "fr", "pin": "2580", "pin_confirm": "2580"}
    check("post", "/session/profile", tenant.post("/session/profile", profile))
    neighbour.activate(small_estate.codes["A-02"], name="Karim")
    check("get", "/me", tenant.get("/me"))
    check("patch", "/me", tenant.patch("/me", {"text_size": 1}))
    item = check("get", "/news", tenant.get("/news"))["news"][0]
    check("get", "/news/{news_id}", tenant.get(f"/news/{item['id']}"))
    check("get", "/works", tenant.get("/works"))
    report = check("post", "/reports", file_report(neighbour, "hall"))
    check("post", "/reports/{report_id}/me-too", tenant.post(f"/reports/{report['id']}/me-too"))
    check("get", "/reports", tenant.get("/reports"))
    mine = file_report(tenant, "dwelling").get_json()
    message = tenant.post(f"/reports/{mine['id']}/messages", {"body": "Vite, svp."})
    check("post", "/reports/{report_id}/messages", message)
    check("get", "/reports/{report_id}", tenant.get(f"/reports/{mine['id']}"))
    check("get", "/reports/{report_id}", tenant.get("/reports/unknown"))

    check("post", "/session/staff", agent.sign_in_staff("agent"))
    check("get", "/staff/reports", agent.get("/staff/reports"))
    visit = (today + timedelta(days=2)).isoformat()
    moved = agent.post(
        f"/staff/reports/{mine['id']}/status", {"status": "scheduled", "scheduled_for": visit}
    )
    check("post", "/staff/reports/{report_id}/status", moved)
    answer = agent.post(f"/staff/reports/{mine['id']}/messages", {"body": "Mardi."})
    check("post", "/staff/reports/{report_id}/messages", answer)
    check("get", "/staff/reports/{report_id}", agent.get(f"/staff/reports/{mine['id']}"))
    check("get", "/staff/dwellings", agent.get("/staff/dwellings"))
    new = {"building_id": small_estate.building_a, "reference": "A-20", "floor": 0}
    check("post", "/staff/dwellings", agent.post("/staff/dwellings", new))
    roster = "reference;building;staircase;floor\nA-21;Bâtiment A;1;2\n"
    imported = agent.post("/staff/dwellings/import", data=roster, content_type="text/csv")
    check("post", "/staff/dwellings/import", imported)
    refused = agent.post("/staff/dwellings/import", data=roster, content_type="text/csv")
    check("post", "/staff/dwellings/import", refused)
    dwelling = small_estate.dwellings["A-03"]
    code = agent.post(f"/staff/dwellings/{dwelling}/code")
    check("post", "/staff/dwellings/{dwelling_id}/code", code)
    moved_out = agent.post(f"/staff/dwellings/{dwelling}/move-out")
    check("post", "/staff/dwellings/{dwelling_id}/move-out", moved_out)
    published = agent.post(
        "/staff/news",
        data={
            "building_id": small_estate.building_a,
            "scope": "building",
            "title": "T",
            "body": "B",
        },
        content_type="multipart/form-data",
    )
    news_id = check("post", "/staff/news", published)["id"]
    changed = agent.patch(
        f"/staff/news/{news_id}",
        data={"title": "T2", "expires_at": ""},
        content_type="multipart/form-data",
    )
    check("patch", "/staff/news/{news_id}", changed)
    check("get", "/staff/news", agent.get("/staff/news"))
    check("delete", "/staff/news/{news_id}", agent.delete(f"/staff/news/{news_id}"))
    announced = agent.post(
        "/staff/works",
        data={
            "building_id": small_estate.building_a,
            "scope": "building",
            "title": "T",
            "location": "L",
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
        },
        content_type="multipart/form-data",
    )
    notice_id = check("post", "/staff/works", announced)["id"]
    changed = agent.patch(
        f"/staff/works/{notice_id}",
        data={"title": "T2"},
        content_type="multipart/form-data",
    )
    check("patch", "/staff/works/{notice_id}", changed)
    check("get", "/staff/works", agent.get("/staff/works"))
    check("delete", "/staff/works/{notice_id}", agent.delete(f"/staff/works/{notice_id}"))
    check("post", "/session/staff", operator.sign_in_staff("operateur"))
    check("get", "/staff/audit", operator.get("/staff/audit"))
    check("get", "/staff/audit", agent.get("/staff/audit"))
    check("get", "/response-times", agent.get("/response-times"))
    check("get", "/fleet", operator.get("/fleet"))
    check("patch", "/session", agent.patch("/session", {"locale": "en"}))
    check("delete", "/session", agent.delete("/session"))
    check("post", "/session/pin", Api(app.test_client()).post("/session/pin", {"pin": "1"}))
    _check_community(check, tenant, neighbour, today)
    _check_staff_community(check, app, hub, small_estate)
    check("post", "/me/erase", neighbour.post("/me/erase", {"what_i_wrote": "delete"}))
    erased = neighbour.post("/me/erase", {"what_i_wrote": "delete", "confirm": True})
    check("post", "/me/erase", erased)

    documented = {(m, p) for p, ops in document["paths"].items() for m in ops}
    assert documented - set(checked) == {("get", "/openapi.json")}


def _check_community(check, tenant: Api, neighbour: Api, today) -> None:
    """Check an answer of each operation of the neighbours' side, as two neighbours."""
    sent = {
        "category": "recipes",
        "scope": "residence",
        "title": "Tajine",
        "body": "Ma recette.",
        "accept_charter": "true",
        "photo": (io.BytesIO(png()), "tajine.png"),
    }
    posted = tenant.post("/board", data=sent, content_type="multipart/form-data")
    post = check("post", "/board", posted)
    check("get", "/board", neighbour.get("/board", query_string={"category": "recipes"}))
    check("get", "/board", neighbour.get("/board", query_string={"category": "cars"}))
    answer = {"body": "Merci !", "accept_charter": True}
    answered = neighbour.post(f"/board/{post['id']}/comments", answer)
    comment = check("post", "/board/{post_id}/comments", answered)["comments"][0]
    check("post", "/board/{post_id}/thanks", neighbour.post(f"/board/{post['id']}/thanks"))
    check("get", "/board/{post_id}", tenant.get(f"/board/{post['id']}"))
    lost = {"category": "lost_found", "scope": "building", "title": "Clés", "body": "Au hall."}
    other = tenant.post("/board", data=lost, content_type="multipart/form-data").get_json()
    check("delete", "/board/{post_id}", tenant.delete(f"/board/{other['id']}"))
    flagged = tenant.post(
        "/flags", {"kind": "comment", "target_id": comment["id"], "reason": "rude"}
    )
    check("post", "/flags", flagged)

    written = neighbour.post("/conversations", {"to": post["author"]["id"], "body": "Bonjour"})
    conversation = check("post", "/conversations", written)
    check("get", "/conversations", tenant.get("/conversations"))
    path = f"/conversations/{conversation['id']}"
    check("get", "/conversations/{conversation_id}", tenant.get(path))
    replied = tenant.post(f"{path}/messages", {"body": "Bonsoir"})
    check("post", "/conversations/{conversation_id}/messages", replied)
    blocked = tenant.post(f"/people/{comment['author']['id']}/block")
    check("post", "/people/{profile_id}/block", blocked)
    unblocked = tenant.delete(f"/people/{comment['author']['id']}/block")
    check("delete", "/people/{profile_id}/block", unblocked)

    starts = datetime.combine(today + timedelta(days=3), time(18))
    organised = tenant.post(
        "/events",
        {
            "scope": "building",
            "title": "Fête des voisins",
            "place": "La cour",
            "starts_at": starts.isoformat() + "Z",
            "ends_at": (starts + timedelta(hours=3)).isoformat() + "Z",
            "capacity": 20,
        },
    )
    event = check("post", "/events", organised)
    check("get", "/events", neighbour.get("/events"))
    path = f"/events/{event['id']}"
    check("post", "/events/{event_id}/reply", neighbour.post(f"{path}/reply", {"people": 3}))
    check("post", "/events/{event_id}/reply", neighbour.post(f"{path}/reply", {"people": 30}))
    check("delete", "/events/{event_id}/reply", neighbour.delete(f"{path}/reply"))
    check("get", "/events/{event_id}", neighbour.get(path))
    check("post", "/events/{event_id}/cancel", tenant.post(f"{path}/cancel"))

    offer = {"kind": "offer", "category": "homework", "title": "Maths", "description": "Le soir."}
    skill = check("post", "/skills", tenant.post("/skills", offer))
    check("get", "/skills", neighbour.get("/skills", query_string={"kind": "offer"}))
    check("delete", "/skills/{skill_id}", tenant.delete(f"/skills/{skill['id']}"))
    check("get", "/deals", tenant.get("/deals"))
    check("get", "/services", tenant.get("/services"))

    asked = {"topic": "phone", "message": "Les photos ?", "how": "visit"}
    check("post", "/help-requests", tenant.post("/help-requests", asked))
    check("get", "/help-requests", tenant.get("/help-requests"))
    check("get", "/notifications", tenant.get("/notifications"))
    check("post", "/notifications/read", tenant.post("/notifications/read"))
    check("get", "/me/data", tenant.get("/me/data"))


def _check_staff_community(check, app, hub, small_estate) -> None:
    """Check an answer of each staff operation on the neighbours: on the box, at the hub."""
    caretaker, mediator = Api(app.test_client()), Api(app.test_client())
    merchant, operator = Api(hub.test_client()), Api(hub.test_client())
    for api, username in [
        (caretaker, "gardien"),
        (mediator, "mediatrice"),
        (merchant, "boulanger"),
        (operator, "operateur"),
    ]:
        assert api.sign_in_staff(username).status_code == 200

    item = check("get", "/staff/moderation", caretaker.get("/staff/moderation"))["items"][0]
    decision = {"kind": item["kind"], "target_id": item["target_id"], "reason": "Poli."}
    decided = caretaker.post("/staff/moderation/decisions", {**decision, "decision": "warn"})
    check("post", "/staff/moderation/decisions", decided)
    waiting = check("get", "/staff/help-requests", mediator.get("/staff/help-requests"))
    request_id = waiting["help_requests"][0]["id"]
    answered = mediator.post(f"/staff/help-requests/{request_id}/answer", {"answer": "Demain."})
    check("post", "/staff/help-requests/{request_id}/answer", answered)

    today = utcnow().date()
    deal = {
        "title": "Pain offert",
        "description": "Le lundi.",
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=7)).isoformat(),
        "residences": [small_estate.residence_id],
        "photo": (io.BytesIO(png()), "pain.png"),
    }
    published = merchant.post("/staff/deals", data=deal, content_type="multipart/form-data")
    deal_id = check("post", "/staff/deals", published)["id"]
    changed = merchant.patch(
        f"/staff/deals/{deal_id}", data={"title": "Pain"}, content_type="multipart/form-data"
    )
    check("patch", "/staff/deals/{deal_id}", changed)
    check("get", "/staff/deals", merchant.get("/staff/deals"))
    check("delete", "/staff/deals/{deal_id}", merchant.delete(f"/staff/deals/{deal_id}"))
    service = {
        "building_id": small_estate.building_a,
        "scope": "district",
        "name": "Centre social",
        "category": "social",
        "description": "Aide aux démarches.",
    }
    partner_id = check("post", "/staff/partners", operator.post("/staff/partners", service))["id"]
    changed = operator.patch(f"/staff/partners/{partner_id}", {"phone": "04 91 00 00 00"})
    check("patch", "/staff/partners/{partner_id}", changed)
    check("get", "/staff/partners", operator.get("/staff/partners"))
    removed = operator.delete(f"/staff/partners/{partner_id}")
    check("delete", "/staff/partners/{partner_id}", removed)
