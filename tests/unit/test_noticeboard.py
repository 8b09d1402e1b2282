"""Neighbours post, comment and thank on the board of their building or residence."""

from datetime import datetime

import pytest
from sqlalchemy import update

from core.domain import charter, noticeboard, notifications
from core.domain.errors import DomainError, NotFound
from core.storage.schema import posts


def _titles(connection, profile):
    return [post["title"] for post in noticeboard.board(connection, profile).items]


def test_a_building_post_stays_in_the_building_and_a_residence_post_reaches_all(engine, neighbours):
    odette, karim, samia = neighbours["Odette"], neighbours["Karim"], neighbours["Samia"]
    with engine.begin() as connection:
        noticeboard.publish(connection, odette, "recipes", "building", "Tajine", "Recette…")
        noticeboard.publish(connection, samia, "parties", "residence", "Fête des voisins", "Samedi")
        assert _titles(connection, karim) == ["Fête des voisins", "Tajine"]
        assert _titles(connection, samia) == ["Fête des voisins"]


def test_the_first_post_waits_for_the_charter(engine, resident):
    newcomer = resident("A-03", "Lucien", accept_charter=False)
    with engine.begin() as connection:
        with pytest.raises(DomainError) as refused:
            noticeboard.publish(connection, newcomer, "giving", "building", "Table", "À donner")
        assert refused.value.code == "charter_needed"
        charter.accept(connection, newcomer["id"])
        assert noticeboard.publish(connection, newcomer, "giving", "building", "Table", "À donner")


def test_a_post_needs_a_title_a_text_and_a_known_category(engine, neighbours):
    odette = neighbours["Odette"]
    with engine.begin() as connection:
        for category, title, body, field in [
            ("recipes", "", "Texte", "title"),
            ("recipes", "Titre", "  ", "body"),
            ("weather", "Titre", "Texte", "category"),
            ("recipes", "x" * 141, "Texte", "title"),
        ]:
            with pytest.raises(DomainError) as refused:
                noticeboard.publish(connection, odette, category, "building", title, body)
            assert refused.value.field == field


def test_a_comment_tells_the_author_and_thanks_count_once_per_person(engine, neighbours):
    odette, karim = neighbours["Odette"], neighbours["Karim"]
    with engine.begin() as connection:
        post_id = noticeboard.publish(
            connection, odette, "mutual_help", "building", "Courses", "Qui peut m'aider ?"
        )
        noticeboard.comment(connection, karim, post_id, "Moi, samedi matin.")
        noticeboard.comment(connection, odette, post_id, "Merci Karim !")
        assert noticeboard.thank(connection, karim, post_id) is True
        assert noticeboard.thank(connection, karim, post_id) is False
        assert noticeboard.thank(connection, karim, post_id) is True
        post = noticeboard.get(connection, odette, post_id)
        told = notifications.recent(connection, odette["id"])
        assert notifications.unread_count(connection, karim["id"]) == 0
    assert [c["body"] for c in post["comments"]] == ["Moi, samedi matin.", "Merci Karim !"]
    assert post["thanks_count"] == 1
    assert [(n["kind"], n["subject_id"], n["detail"]["name"]) for n in told] == [
        ("post_comment", post_id, "Karim")
    ]


def test_only_the_author_takes_a_post_down(engine, neighbours):
    odette, karim = neighbours["Odette"], neighbours["Karim"]
    with engine.begin() as connection:
        post_id = noticeboard.publish(connection, odette, "lost_found", "building", "Clés", "…")
        noticeboard.comment(connection, karim, post_id, "Je les ai vues.")
        with pytest.raises(NotFound):
            noticeboard.remove(connection, karim, post_id)
        noticeboard.remove(connection, odette, post_id)
        assert _titles(connection, karim) == []


def test_the_board_comes_a_page_at_a_time_from_the_newest_with_none_lost_or_twice(
    engine, neighbours
):
    odette, karim = neighbours["Odette"], neighbours["Karim"]
    with engine.begin() as connection:
        written = [
            noticeboard.publish(connection, odette, "giving", "building", f"Objet {n}", "À donner")
            for n in range(7)
        ]
        # Posts written in the same instant (an import) keep one order across pages.
        same_instant = posts.c.id.in_(written[2:5])
        import_day = datetime(2026, 12, 1)
        connection.execute(update(posts).where(same_instant).values(created_at=import_day))
        pages, before = [], None
        while True:
            page = noticeboard.board(connection, karim, before=before, size=3)
            pages.append([post["title"] for post in page.items])
            if page.rest is None:
                break
            before = page.rest
    titles = [title for page in pages for title in page]
    assert [len(page) for page in pages] == [3, 3, 1]
    assert sorted(titles) == sorted(f"Objet {n}" for n in range(7))
    assert titles[:2] == ["Objet 6", "Objet 5"]


def test_a_board_page_that_cannot_exist_is_refused_in_words(engine, neighbours):
    with engine.begin() as connection, pytest.raises(DomainError) as refused:
        noticeboard.board(connection, neighbours["Karim"], before="yesterday-abc")
    assert refused.value.code == "page_unknown"
