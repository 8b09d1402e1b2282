"""Three households hide a post until a caretaker decides; the author is told why."""

import pytest
from sqlalchemy import select

from core.domain import audit, moderation, noticeboard, notifications, people
from core.domain.errors import DomainError, Forbidden, NotFound
from core.storage.schema import profiles


@pytest.fixture
def post(engine, neighbours):
    with engine.begin() as connection:
        return noticeboard.publish(
            connection, neighbours["Odette"], "giving", "residence", "Vends télé", "Pas chère"
        )


@pytest.fixture
def caretaker(engine, small_estate):
    with engine.connect() as connection:
        return people.get_staff(connection, small_estate.staff["gardien"])


def test_two_people_of_one_household_and_one_other_do_not_hide_a_post(
    engine, resident, neighbours, post
):
    brother = resident("A-02", "Yanis")
    with engine.begin() as connection:
        for who in (neighbours["Karim"], brother):
            assert moderation.flag(connection, who, "post", post, "selling") is False
        assert moderation.flag(connection, neighbours["Samia"], "post", post, "selling") is False
        assert noticeboard.get(connection, neighbours["Karim"], post)


def test_a_third_household_hides_the_post_from_all_but_its_author(
    engine, resident, neighbours, post
):
    third = resident("A-03", "Lucien")
    with engine.begin() as connection:
        moderation.flag(connection, neighbours["Karim"], "post", post, "selling")
        moderation.flag(connection, neighbours["Samia"], "post", post, "selling")
        assert moderation.flag(connection, third, "post", post, "selling") is True
        with pytest.raises(NotFound):
            noticeboard.get(connection, neighbours["Karim"], post)
        assert noticeboard.get(connection, neighbours["Odette"], post)["hidden_by"] == "flags"
        told = notifications.recent(connection, neighbours["Odette"]["id"])
    assert [(n["kind"], n["detail"]["decision"]) for n in told] == [
        ("moderation", "hidden_by_flags")
    ]


def test_nobody_flags_their_own_post_and_a_reason_is_needed(engine, neighbours, post):
    with engine.begin() as connection:
        with pytest.raises(DomainError) as own:
            moderation.flag(connection, neighbours["Odette"], "post", post, "rude")
        with pytest.raises(DomainError) as no_reason:
            moderation.flag(connection, neighbours["Karim"], "post", post, "")
    assert (own.value.code, no_reason.value.field) == ("flag_own", "reason")


def test_the_caretaker_sees_the_queue_restores_and_the_author_is_told(
    engine, neighbours, post, caretaker
):
    with engine.begin() as connection:
        moderation.flag(connection, neighbours["Karim"], "post", post, "selling", "Il vend.")
        queue = moderation.queue(connection, caretaker["building_ids"])
        assert [(i["kind"], i["target_id"], i["households"]) for i in queue] == [("post", post, 1)]
        assert queue[0]["flags"][0]["note"] == "Il vend."
        with pytest.raises(DomainError) as unexplained:
            moderation.decide(connection, caretaker, "post", post, "hide", "")
        assert unexplained.value.field == "reason"
        moderation.decide(
            connection, caretaker, "post", post, "hide", "Les ventes n'ont pas leur place ici."
        )
        assert moderation.queue(connection, caretaker["building_ids"]) == []
        with pytest.raises(NotFound):
            noticeboard.get(connection, neighbours["Karim"], post)
        told = notifications.recent(connection, neighbours["Odette"]["id"])
        logged = audit.recent(connection)
    assert told[0]["detail"] == {
        "target_kind": "post",
        "decision": "hide",
        "reason": "Les ventes n'ont pas leur place ici.",
        "days": None,
    }
    assert (logged[0]["action"], logged[0]["target"]) == ("moderation.hide", f"post:{post}")


def test_a_suspended_author_cannot_write_until_the_end_of_the_suspension(
    engine, neighbours, post, caretaker
):
    odette = neighbours["Odette"]
    with engine.begin() as connection:
        moderation.flag(connection, neighbours["Karim"], "profile", odette["id"], "rude")
        moderation.decide(
            connection, caretaker, "profile", odette["id"], "suspend", "Insultes répétées.", 7
        )
        with pytest.raises(Forbidden) as refused:
            noticeboard.publish(connection, odette, "recipes", "building", "Gâteau", "…")
        until = connection.execute(
            select(profiles.c.suspended_until).where(profiles.c.id == odette["id"])
        ).scalar()
    assert refused.value.code == "suspended"
    assert refused.value.params["date"] == until


def test_a_caretaker_of_another_building_cannot_decide(engine, small_estate, resident, neighbours):
    samias_son = resident("B-01", "Ali")
    with engine.begin() as connection:
        in_b = noticeboard.publish(
            connection, neighbours["Samia"], "giving", "building", "Vélo", "À donner"
        )
        caretaker = people.get_staff(connection, small_estate.staff["gardien"])
        moderation.flag(connection, samias_son, "post", in_b, "rude")
        assert moderation.queue(connection, caretaker["building_ids"]) == []
        with pytest.raises(NotFound):
            moderation.decide(connection, caretaker, "post", in_b, "hide", "Non.")


def test_a_flagged_post_taken_down_by_its_author_leaves_the_queue(
    engine, neighbours, post, caretaker
):
    with engine.begin() as connection:
        moderation.flag(connection, neighbours["Karim"], "post", post, "selling")
        noticeboard.remove(connection, neighbours["Odette"], post)
        assert moderation.queue(connection, caretaker["building_ids"]) == []


def test_the_caretaker_dismisses_flags_that_were_wrong(
    engine, resident, neighbours, post, caretaker
):
    third = resident("A-03", "Lucien")
    with engine.begin() as connection:
        # One household's flag: the post stays, and leaving it bothers nobody.
        moderation.flag(connection, neighbours["Karim"], "post", post, "selling")
        moderation.decide(connection, caretaker, "post", post, "dismiss", "")
        assert moderation.queue(connection, caretaker["building_ids"]) == []
        assert notifications.recent(connection, neighbours["Odette"]["id"]) == []
        # Three households hid it: dismissed, it is shown again and its author told.
        for who in (neighbours["Karim"], neighbours["Samia"], third):
            moderation.flag(connection, who, "post", post, "selling")
        moderation.decide(connection, caretaker, "post", post, "dismiss", "")
        assert noticeboard.get(connection, neighbours["Karim"], post)["title"] == "Vends télé"
        assert moderation.queue(connection, caretaker["building_ids"]) == []
        told = notifications.recent(connection, neighbours["Odette"]["id"])
        logged = [entry["action"] for entry in audit.recent(connection)]
    assert [n["detail"]["decision"] for n in told] == ["dismiss", "hidden_by_flags"]
    assert logged[:2] == ["moderation.dismiss", "moderation.dismiss"]
