"""The tenant's side of the API: profile, news, works, reports, photos and "me too"."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from core.domain import news, works
from core.domain.clock import utcnow
from tests.support.api_client import Api, file_report, is_problem, png


@pytest.fixture
def odette(app, small_estate) -> Api:
    api = Api(app.test_client())
    api.activate(small_estate.codes["A-01"], name="Odette")
    return api


@pytest.fixture
def neighbour(app, small_estate) -> Api:
    api = Api(app.test_client())
    api.activate(small_estate.codes["A-02"], name="Karim")
    return api


def test_the_tenant_changes_language_and_text_size(odette):
    changed = odette.patch("/me", {"locale": "en", "text_size": 2})
    assert changed.status_code == 200
    assert changed.get_json()["locale"] == "en"
    assert changed.headers["Content-Language"] == "en"
    assert odette.get("/me").get_json()["text_size"] == 2
    assert odette.patch("/me", {}).get_json()["text_size"] == 2


def test_preferences_outside_the_choices_are_refused(odette):
    assert is_problem(odette.patch("/me", {"text_size": 7}), 422, "text_size_unknown")
    assert is_problem(odette.patch("/me", {"locale": "de"}), 422, "locale_unknown")
    wrong_type = odette.patch("/me", {"text_size": "2"})
    assert is_problem(wrong_type, 422, "field_type")
    assert wrong_type.get_json()["field"] == "text_size"
    assert is_problem(odette.patch("/me", {"text_size": True}), 422, "field_type")


def test_news_of_the_building_and_not_of_others(odette, engine, small_estate):
    with engine.begin() as connection:
        mine = news.publish(
            connection,
            small_estate.publishers["landlord"],
            "Ascenseur",
            "Révision lundi.",
            "building",
            small_estate.building_a,
        )
        other = news.publish(
            connection,
            small_estate.publishers["landlord"],
            "Parking B",
            "Fermé.",
            "building",
            small_estate.building_b,
        )
    listed = odette.get("/news").get_json()["news"]
    assert [item["id"] for item in listed] == [mine]
    assert listed[0]["publisher"] == {
        "name": "Habitat Sud",
        "kind": "landlord",
        "kind_label": "Bailleur",
    }
    assert listed[0]["published_at"].endswith("Z")
    assert odette.get(f"/news/{mine}").get_json()["body"] == "Révision lundi."
    assert is_problem(odette.get(f"/news/{other}"), 404, "news_not_found")


def test_works_under_way_in_the_building(odette, engine, small_estate):
    today = utcnow().date()
    with engine.begin() as connection:
        works.announce(
            connection,
            "building",
            small_estate.building_a,
            "Peinture",
            "Hall",
            today,
            today + timedelta(days=5),
            "Ne pas toucher aux murs.",
        )
    listed = odette.get("/works").get_json()["works"]
    assert [(n["title"], n["starts_on"]) for n in listed] == [("Peinture", today.isoformat())]


def test_my_reports_and_neighbours_common_area_reports_are_apart(odette, neighbour):
    in_hall = file_report(neighbour, "hall").get_json()
    at_home = file_report(neighbour, "dwelling").get_json()
    mine = file_report(odette, "staircase").get_json()
    lists = odette.get("/reports").get_json()
    assert [r["id"] for r in lists["mine"]] == [mine["id"]]
    assert [r["id"] for r in lists["neighbours"]] == [in_hall["id"]]
    assert is_problem(odette.get(f"/reports/{at_home['id']}"), 404, "report_not_found")


def test_me_too_on_a_neighbours_report_counts_once(odette, neighbour):
    report = file_report(neighbour, "hall").get_json()
    first = odette.post(f"/reports/{report['id']}/me-too")
    again = odette.post(f"/reports/{report['id']}/me-too")
    assert first.status_code == again.status_code == 200
    assert again.get_json()["supported"] is True
    assert again.get_json()["me_too_count"] == 1
    assert is_problem(neighbour.post(f"/reports/{report['id']}/me-too"), 422, "me_too_own")


def test_neighbours_see_no_messages_and_cannot_write_on_a_report(odette, neighbour):
    report = file_report(neighbour, "hall").get_json()
    neighbour.post(f"/reports/{report['id']}/messages", {"body": "Toujours sale."})
    seen = odette.get(f"/reports/{report['id']}").get_json()
    assert [entry["kind"] for entry in seen["timeline"]] == ["status"]
    refused = odette.post(f"/reports/{report['id']}/messages", {"body": "Chez moi aussi."})
    assert is_problem(refused, 404)


def test_a_report_with_missing_fields_is_refused_and_leaves_no_photo(odette):
    refused = file_report(odette, description="  ", photos=[(io.BytesIO(png()), "a.png")])
    assert is_problem(refused, 422, "description_missing")
    assert refused.get_json()["field"] == "description"
    assert odette.get("/reports").get_json()["mine"] == []


def test_more_than_three_photos_are_refused(odette):
    photos = [(io.BytesIO(png()), f"{n}.png") for n in range(4)]
    refused = file_report(odette, photos=photos)
    assert is_problem(refused, 422, "photos_too_many")
    assert refused.get_json()["field"] == "photos"


def test_a_file_that_is_not_a_picture_is_refused(odette):
    refused = file_report(odette, photos=[(io.BytesIO(b"<script>alert(1)</script>"), "x.png")])
    assert is_problem(refused, 422, "photo_not_image")


def test_a_report_sent_as_json_is_refused_as_the_wrong_content_type(odette):
    refused = odette.post("/reports", {"category": "other", "location": "hall", "description": "x"})
    assert is_problem(refused, 415, "content_type_unsupported")


def test_photos_of_a_report_are_served_only_to_those_who_may_see_it(app, odette, neighbour):
    report = file_report(neighbour, "dwelling", photos=[(io.BytesIO(png()), "a.png")]).get_json()
    url = report["photos"][0]["url"]
    assert neighbour.client.get(url).status_code == 200
    assert odette.client.get(url).status_code == 404
    assert app.test_client().get(url).status_code == 404


def test_a_contact_is_shown_only_once_its_owner_adds_it(odette):
    added = odette.patch("/me", {"contact": "  porte 12,   3e étage "})
    assert added.status_code == 200 and added.get_json()["contact"] == "porte 12, 3e étage"
    assert is_problem(odette.patch("/me", {"contact": "x" * 201}), 422, "contact_long")
    assert odette.patch("/me", {"contact": ""}).get_json()["contact"] is None
