"""News, works, deals and services keep the language they were written in and their
versions in the other languages, checked by the same rules as the original."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.domain import deals, news, partners, publishing, text_versions, works
from core.domain.clock import utcnow
from core.domain.errors import DomainError, Refusals
from core.domain.text_versions import InVersion
from core.storage.schema import news as news_table

ARABIC = {"title": "حفلة الجيران", "body": "موعدنا يوم السبت في الساحة."}
ENGLISH = {"title": "Neighbours' party", "body": "See you on Saturday in the yard."}


def _news(connection, place, versions=None, language=None, title="Fête des voisins"):
    return news.publish(
        connection,
        place.publishers["town_hall"],
        title,
        "Rendez-vous samedi dans la cour.",
        "residence",
        place.residence_id,
        language=language,
        versions=versions,
    )


def _stored(connection, news_id):
    row = connection.execute(
        select(news_table.c.language, news_table.c.versions).where(news_table.c.id == news_id)
    ).one()
    return row.language, row.versions


def test_news_keep_their_language_and_their_versions(engine, small_estate):
    with engine.begin() as connection:
        news_id = _news(connection, small_estate, {"ar": ARABIC, "en": ENGLISH})
        assert _stored(connection, news_id) == ("fr", {"ar": ARABIC, "en": ENGLISH})


def test_a_version_left_empty_is_no_version(engine, small_estate):
    with engine.begin() as connection:
        news_id = _news(connection, small_estate, {"en": {"title": " ", "body": ""}, "ar": ARABIC})
        assert _stored(connection, news_id) == ("fr", {"ar": ARABIC})


def test_a_change_replaces_the_versions_and_one_that_does_not_say_them_keeps_them(
    engine, small_estate
):
    place = small_estate
    with engine.begin() as connection:
        news_id = _news(connection, place, {"ar": ARABIC})
        fields = {
            "title": "Fête des voisins",
            "body": "Samedi.",
            "scope_kind": "residence",
            "scope_ref": place.residence_id,
        }
        publishing.change(connection, news.PUBLICATION, news_id, place.staff["mairie"], fields)
        assert _stored(connection, news_id) == ("fr", {"ar": ARABIC})
        publishing.change(
            connection,
            news.PUBLICATION,
            news_id,
            place.staff["mairie"],
            fields | {"language": "fr", "versions": {"en": ENGLISH}},
        )
        assert _stored(connection, news_id) == ("fr", {"en": ENGLISH})


def test_taking_news_down_takes_its_versions_down_with_it(engine, small_estate):
    with engine.begin() as connection:
        news_id = _news(connection, small_estate, {"ar": ARABIC})
        publishing.take_down(connection, news.PUBLICATION, news_id, small_estate.staff["mairie"])
        assert connection.execute(select(news_table.c.versions)).all() == []


def test_a_version_too_long_is_refused_naming_its_field_and_language(engine, small_estate):
    with engine.begin() as connection, pytest.raises(InVersion) as refused:
        _news(connection, small_estate, {"ar": ARABIC | {"title": "ع" * 141}})
    assert refused.value.field == "title_ar"
    assert refused.value.language == "ar"
    assert refused.value.params == {"count": 140}


def test_every_problem_of_the_original_and_the_versions_is_refused_at_once(engine, small_estate):
    with engine.begin() as connection, pytest.raises(Refusals) as refused:
        _news(
            connection,
            small_estate,
            {"en": {"title": "x" * 141, "body": "Text"}, "ar": {"title": "حفلة", "body": ""}},
            title="",
        )
    assert [(r.field, r.code) for r in refused.value.refusals] == [
        ("title", "title_missing"),
        ("title_en", "title_en_long"),
        ("body_ar", "body_missing"),
    ]


def test_a_version_in_the_original_language_or_an_unknown_one_is_refused(engine, small_estate):
    with engine.begin() as connection, pytest.raises(Refusals) as refused:
        _news(connection, small_estate, {"ar": ARABIC, "de": ENGLISH}, language="ar")
    assert [r.field for r in refused.value.refusals] == ["versions", "title_ar"]
    with engine.begin() as connection, pytest.raises(DomainError) as refused:
        _news(connection, small_estate, language="es")
    assert refused.value.field == "language"


def test_works_deals_and_services_check_their_versions_by_their_own_rules(engine, small_estate):
    place = small_estate
    today = utcnow().date()
    with engine.begin() as connection:
        with pytest.raises(DomainError) as refused:
            works.announce(
                connection,
                "building",
                place.building_a,
                "Ascenseur",
                "Hall A",
                today,
                today + timedelta(days=2),
                versions={"en": {"title": "Lift", "tenant_action": "Use the stairs."}},
            )
        assert refused.value.field == "location_en"
        deal_id = deals.publish(
            connection,
            place.publishers["shop"],
            "Pain",
            "Une baguette offerte",
            today,
            today + timedelta(days=5),
            [place.residence_id],
            versions={"ar": {"title": "خبز", "description": "خبزة مجانية"}},
        )
        assert deals.one_of_shop(connection, place.publishers["shop"], deal_id)["versions"] == {
            "ar": {"title": "خبز", "description": "خبزة مجانية"}
        }
        with pytest.raises(DomainError) as refused:
            partners.add(
                connection,
                None,
                name="CAF",
                category="family",
                description="Les allocations.",
                scope_kind="city",
                scope_ref="Marseille",
                versions={"en": {"opening_hours": "Mondays"}},
            )
        assert refused.value.field == "description_en"


def test_a_reader_gets_their_language_else_the_original_said_as_such():
    item = {
        "title": "Ascenseur en panne",
        "tenant_action": "Prenez l'escalier.",
        "language": "fr",
        "versions": {"ar": {"title": "المصعد معطل"}},
    }
    fields = ("title", "tenant_action")
    in_arabic = text_versions.shown_to(item, fields, "ar")
    assert (in_arabic["title"].text, in_arabic["title"].language) == ("المصعد معطل", "ar")
    assert text_versions.direction(in_arabic["title"].language) == "rtl"
    # The version has no action of its own: the original's is shown, and said to be French.
    assert in_arabic["tenant_action"].language == "fr"
    assert in_arabic["untranslated"] == "fr"
    in_english = text_versions.shown_to(item, fields, "en")
    assert in_english["title"].text == "Ascenseur en panne"
    assert in_english["untranslated"] == "fr"
    assert text_versions.shown_to(item, fields, "fr")["untranslated"] is None


def test_what_was_published_before_languages_reads_as_french():
    shown = text_versions.shown_to({"title": "Titre", "versions": None}, ("title",), "en")
    assert (shown["title"].language, shown["untranslated"]) == ("fr", "fr")
