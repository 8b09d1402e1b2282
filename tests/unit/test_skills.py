"""Residents offer and ask for help; neighbours of the residence find it by kind."""

import pytest

from core.domain import skills
from core.domain.errors import DomainError, NotFound


def test_offers_and_requests_are_seen_in_the_residence_by_kind_and_category(engine, neighbours):
    odette, karim, samia = neighbours["Odette"], neighbours["Karim"], neighbours["Samia"]
    with engine.begin() as connection:
        skills.add(connection, karim, "offer", "computer", "Aide au téléphone", "Le soir.")
        skills.add(connection, odette, "request", "shopping", "Courses du mardi", "Au marché.")
        seen_by_samia = skills.browse(connection, samia)
        offers = skills.browse(connection, samia, kind="offer")
        shopping = skills.browse(connection, samia, category="shopping")
    assert [s["title"] for s in seen_by_samia] == ["Courses du mardi", "Aide au téléphone"]
    assert [(s["title"], s["author_name"]) for s in offers] == [("Aide au téléphone", "Karim")]
    assert [s["title"] for s in shopping] == ["Courses du mardi"]


def test_a_closed_offer_is_no_longer_listed_and_only_its_author_closes_it(engine, neighbours):
    odette, karim = neighbours["Odette"], neighbours["Karim"]
    with engine.begin() as connection:
        skill_id = skills.add(connection, karim, "offer", "diy", "Petites réparations", "…")
        with pytest.raises(NotFound):
            skills.close(connection, odette, skill_id)
        skills.close(connection, karim, skill_id)
        assert skills.browse(connection, odette) == []
        with pytest.raises(NotFound):
            skills.get(connection, odette, skill_id)


def test_an_offer_needs_its_kind_category_title_and_text(engine, neighbours):
    karim = neighbours["Karim"]
    with engine.begin() as connection:
        for kind, category, title, text, field in [
            ("sell", "diy", "T", "x", "kind"),
            ("offer", "magic", "T", "x", "category"),
            ("offer", "diy", " ", "x", "title"),
            ("offer", "diy", "T", "", "description"),
        ]:
            with pytest.raises(DomainError) as refused:
                skills.add(connection, karim, kind, category, title, text)
            assert refused.value.field == field
