"""Neighbours post, comment and thank on the board of their building or residence."""

import pytest

from appliance.domain import charter, noticeboard, notifications
from appliance.domain.errors import DomainError, NotFound


def _titles(connection, profile):
    return [post["title"] for post in noticeboard.board(connection, profile)]


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
