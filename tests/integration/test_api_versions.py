"""Staff send a publication's language and its versions through the API, which answers
them to staff and tenants; a change keeps the versions it does not send."""

from __future__ import annotations

from tests.support.api_client import is_problem

ARABIC = {"title_ar": "حفلة الجيران", "body_ar": "موعدنا يوم السبت."}


def _publish(api, building_id: str, **fields):
    sent = {"building_id": building_id, "scope": "building", "title": "Fête", "body": "Samedi."}
    return api.post("/staff/news", data=sent | fields, content_type="multipart/form-data")


def test_news_is_published_with_its_versions_and_tenants_get_them(staff, tenant_of, small_estate):
    published = _publish(staff("mairie"), small_estate.building_a, language="fr", **ARABIC)
    assert published.status_code == 201
    expected = {"ar": {"title": "حفلة الجيران", "body": "موعدنا يوم السبت."}}
    assert (published.get_json()["language"], published.get_json()["versions"]) == ("fr", expected)
    [seen] = tenant_of("A-01").get("/news").get_json()["news"]
    assert (seen["language"], seen["versions"]) == ("fr", expected)


def test_a_change_keeps_the_versions_it_does_not_send(staff, small_estate):
    mairie = staff("mairie")
    news_id = _publish(mairie, small_estate.building_a, language="fr", **ARABIC).get_json()["id"]
    changed = mairie.patch(
        f"/staff/news/{news_id}",
        data={"title_en": "Party", "body_en": "Saturday."},
        content_type="multipart/form-data",
    )
    assert changed.status_code == 200
    assert set(changed.get_json()["versions"]) == {"ar", "en"}
    emptied = mairie.patch(
        f"/staff/news/{news_id}",
        data={"title_ar": "", "body_ar": ""},
        content_type="multipart/form-data",
    )
    assert emptied.get_json()["versions"] == {"en": {"title": "Party", "body": "Saturday."}}


def test_every_refused_version_is_named_in_the_problem(staff, small_estate):
    refused = _publish(
        staff("mairie"),
        small_estate.building_a,
        language="fr",
        title_ar="ع" * 141,
        body_ar="نص",
        body_en="Saturday.",
    )
    assert is_problem(refused, 422)
    assert [(e["field"], e["detail"]) for e in refused.get_json()["errors"]] == [
        ("title_en", "English version: Give the news a title."),
        ("title_ar", "Arabic version: The title is too long (140 characters at most)."),
    ]
    in_german = _publish(staff("mairie"), small_estate.building_a, language="de")
    assert is_problem(in_german, 422, "language_unknown")


def test_a_service_sent_as_json_is_in_my_language_unless_said(hub_staff, small_estate):
    operator = hub_staff("operateur")
    service = {
        "building_id": small_estate.building_a,
        "scope": "district",
        "name": "Centre social",
        "category": "social",
        "description": "Aide aux démarches.",
        "description_en": "Help with forms.",
    }
    # Staff here read English: a text not said to be French is English already.
    assert is_problem(operator.post("/staff/partners", service), 422, "version_same")
    added = operator.post("/staff/partners", service | {"language": "fr"})
    assert added.status_code == 201
    answered = added.get_json()
    assert (answered["language"], answered["versions"]) == (
        "fr",
        {"en": {"description": "Help with forms."}},
    )
    changed = operator.patch(f"/staff/partners/{answered['id']}", {"phone": "04 91 00 00 00"})
    assert changed.get_json()["versions"] == {"en": {"description": "Help with forms."}}
