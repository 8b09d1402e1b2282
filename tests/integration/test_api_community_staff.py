"""Staff on the neighbours' side through the API: the caretaker's queue and the mediator's
requests on the box, shops' deals and partners' services at the hub — each for their own
buildings, and audited."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select

from core.domain.clock import utcnow
from core.storage.schema import audit_log, outbox
from tests.support.api_client import is_problem, png, put_on_board


def _audited(engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(select(audit_log.c.action)).scalars())


def _hidden_by_three_homes(tenant_of) -> tuple:
    """Return the author and a residence post three homes flagged."""
    author = tenant_of("A-01")
    created = put_on_board(author, scope="residence").get_json()
    flag = {"kind": "post", "target_id": created["id"], "reason": "rude", "note": "Insulte."}
    for reference, name in [("A-02", "Karim"), ("A-03", "Lina"), ("B-01", "Bruno")]:
        assert tenant_of(reference, name).post("/flags", flag).status_code == 200
    return author, created


def test_the_caretaker_restores_a_flagged_post_and_its_author_is_told(staff, tenant_of, engine):
    author, created = _hidden_by_three_homes(tenant_of)
    caretaker = staff("gardien")
    [item] = caretaker.get("/staff/moderation").get_json()["items"]
    assert (item["kind"], item["target_id"]) == ("post", created["id"])
    assert item["households"] == 3 and item["hidden"] is True
    assert item["author"]["display_name"] == "Odette"
    assert [f["note"] for f in item["flags"]] == ["Insulte."] * 3
    assert item["decisions"] == ["dismiss", "hide", "restore", "warn", "suspend"]

    decision = {"kind": "post", "target_id": created["id"], "decision": "restore"}
    unexplained = caretaker.post("/staff/moderation/decisions", decision)
    assert is_problem(unexplained, 422, "reason_missing")
    decided = caretaker.post(
        "/staff/moderation/decisions", {**decision, "reason": "Rien de grave."}
    )
    assert decided.get_json() == {"items": []}
    assert author.get(f"/board/{created['id']}").get_json()["hidden_by"] is None
    told = author.get("/notifications").get_json()["notifications"][0]
    assert told["detail"]["decision"] == "restore"
    assert told["detail"]["reason"] == "Rien de grave."
    assert "moderation.restore" in _audited(engine)


def test_a_caretaker_suspends_and_the_author_can_no_longer_write(staff, tenant_of):
    author, created = _hidden_by_three_homes(tenant_of)
    decision = {"kind": "post", "target_id": created["id"], "reason": "Insultes."}
    caretaker = staff("gardien")
    no_days = caretaker.post("/staff/moderation/decisions", {**decision, "decision": "suspend"})
    assert is_problem(no_days, 422, "days_unknown")
    suspended = caretaker.post(
        "/staff/moderation/decisions", {**decision, "decision": "suspend", "days": 3}
    )
    assert suspended.status_code == 200
    assert is_problem(put_on_board(author), 403, "suspended")


def test_the_queue_is_for_caretakers_of_the_building_only(staff, tenant_of):
    odette = tenant_of("A-01")
    bruno = tenant_of("B-01", "Bruno")
    odette_id = put_on_board(odette).get_json()["author"]["id"]
    written = bruno.post(
        "/conversations", {"to": odette_id, "body": "Idiot.", "accept_charter": True}
    ).get_json()
    message = written["messages"][0]["id"]
    flagged = odette.post("/flags", {"kind": "message", "target_id": message, "reason": "rude"})
    assert flagged.get_json() == {"hidden": False}
    # The message's author lives in building B: building A's caretaker does not decide.
    caretaker = staff("gardien")
    assert caretaker.get("/staff/moderation").get_json() == {"items": []}
    decision = {"kind": "message", "target_id": message, "decision": "warn", "reason": "Non."}
    assert is_problem(caretaker.post("/staff/moderation/decisions", decision), 404)
    unknown = caretaker.post("/staff/moderation/decisions", {**decision, "kind": "car"})
    assert is_problem(unknown, 404, "target_not_found")
    assert is_problem(staff("agent").get("/staff/moderation"), 403, "forbidden")


def test_the_mediator_answers_a_request_and_sees_the_flat_only_for_a_visit(
    staff, tenant_of, engine
):
    odette, karim = tenant_of("A-01"), tenant_of("A-02", "Karim")
    asked = odette.post(
        "/help-requests", {"topic": "phone", "message": "Photos ?", "how": "visit"}
    ).get_json()
    karim.post("/help-requests", {"topic": "report", "message": "", "how": "portal"})
    tenant_of("B-01").post("/help-requests", {"topic": "other", "how": "office"})

    mediator = staff("mediatrice")
    waiting = mediator.get("/staff/help-requests").get_json()["help_requests"]
    assert [(r["display_name"], r["dwelling_reference"]) for r in waiting] == [
        ("Odette", "A-01"),
        ("Karim", None),
    ]
    assert {r["building"]["name"] for r in waiting} == {"Bâtiment A"}
    path = f"/staff/help-requests/{asked['id']}/answer"
    assert is_problem(mediator.post(path, {"answer": " "}), 422, "answer_missing")
    answered = mediator.post(path, {"answer": "Je passe demain à 10 h."})
    assert [r["display_name"] for r in answered.get_json()["help_requests"]] == ["Karim"]
    [mine] = odette.get("/help-requests").get_json()["help_requests"]
    assert mine["answer"] == "Je passe demain à 10 h." and mine["answered_at"]
    kinds = [n["kind"] for n in odette.get("/notifications").get_json()["notifications"]]
    assert kinds == ["help_answered"]
    assert "help.answer" in _audited(engine)
    assert is_problem(staff("agent").get("/staff/help-requests"), 403)


def test_a_shop_publishes_a_deal_for_its_residences_at_the_hub(
    hub_staff, staff, tenant_of, small_estate, engine
):
    today = utcnow().date()
    shop = hub_staff("boulanger")
    deal = {
        "title": "Pain offert le lundi",
        "description": "Une baguette offerte pour deux achetées.",
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=30)).isoformat(),
        "residences": [small_estate.residence_id, "elsewhere"],
        "photo": (io.BytesIO(png()), "pain.png"),
    }
    published = shop.post("/staff/deals", data=deal, content_type="multipart/form-data")
    assert published.status_code == 201
    shown = published.get_json()
    assert shown["residences"] == [{"id": small_estate.residence_id, "name": "Les Tilleuls"}]
    assert shown["shop"]["name"] == "Boulangerie du Marché" and shown["photo"]
    with engine.connect() as connection:
        kinds = set(connection.execute(select(outbox.c.peer_id, outbox.c.kind)).all())
    assert {("box-a", "deal.published"), ("box-b", "deal.published")} <= kinds
    assert "deal.publish" in _audited(engine)

    # Hub and box share the test's database: the tenant's box shows the deal.
    [seen] = tenant_of("A-01").get("/deals").get_json()["deals"]
    assert seen["title"] == "Pain offert le lundi"

    too_long = {**deal, "valid_until": (today + timedelta(days=200)).isoformat(), "photo": None}
    refused = shop.post(
        "/staff/deals",
        data={k: v for k, v in too_long.items() if v is not None},
        content_type="multipart/form-data",
    )
    assert is_problem(refused, 422, "too_long")
    changed = shop.patch(
        f"/staff/deals/{shown['id']}",
        data={"title": "Pain offert", "remove_photo": "true"},
        content_type="multipart/form-data",
    )
    assert changed.get_json()["title"] == "Pain offert" and changed.get_json()["photo"] is None
    assert [d["id"] for d in shop.get("/staff/deals").get_json()["deals"]] == [shown["id"]]
    assert is_problem(hub_staff("mairie").get("/staff/deals"), 403)
    # Deals are written at the hub only.
    assert is_problem(staff("boulanger").get("/staff/deals"), 403)
    assert shop.delete(f"/staff/deals/{shown['id']}").status_code == 204
    assert is_problem(shop.delete(f"/staff/deals/{shown['id']}"), 404, "deal_not_found")


def test_an_operator_adds_a_service_for_the_district_at_the_hub(
    hub_staff, tenant_of, small_estate, engine
):
    operator = hub_staff("operateur")
    service = {
        "building_id": small_estate.building_a,
        "scope": "district",
        "name": "Centre social",
        "category": "social",
        "description": "Aide aux démarches.",
        "address": "38 avenue de la Viste",
        "opening_hours": "Mardi au samedi",
    }
    refused = operator.post("/staff/partners", {**service, "description": ""})
    assert is_problem(refused, 422, "description_missing")
    added = operator.post("/staff/partners", service)
    assert added.status_code == 201
    partner = added.get_json()
    assert (partner["scope"], partner["scope_name"]) == ("district", "La Viste")
    assert "partner.add" in _audited(engine)
    [seen] = tenant_of("B-01").get("/services").get_json()["services"]
    assert seen["name"] == "Centre social" and seen["phone"] == ""

    changed = operator.patch(f"/staff/partners/{partner['id']}", {"phone": "04 91 00 00 00"})
    assert changed.get_json()["phone"] == "04 91 00 00 00"
    assert changed.get_json()["scope_name"] == "La Viste"
    listed = operator.get("/staff/partners").get_json()["partners"]
    assert [p["name"] for p in listed] == ["Centre social"]
    assert operator.delete(f"/staff/partners/{partner['id']}").status_code == 204
    assert tenant_of("A-01").get("/services").get_json()["services"] == []
    assert is_problem(hub_staff("boulanger").get("/staff/partners"), 403)
