"""The mediator's first-steps sessions: theirs only, soonest first, with who comes."""

from datetime import timedelta

import pytest

from core.domain import audit, events, first_steps, people
from core.domain.clock import utcnow
from core.domain.errors import DomainError, NotFound, Refusals


def _session(connection, member, building_id, title, in_days, capacity=None, scope="building"):
    starts = (utcnow() + timedelta(days=in_days)).replace(microsecond=0)
    return first_steps.organise(
        connection,
        member,
        building_id,
        scope,
        title,
        "",
        "Salle commune",
        starts,
        starts + timedelta(hours=2),
        capacity,
    )


def test_a_member_s_upcoming_sessions_are_theirs_only_soonest_first_with_who_comes(
    engine, small_estate, neighbours
):
    odette, karim = neighbours["Odette"], neighbours["Karim"]
    building_a = small_estate.building_a
    with engine.begin() as connection:
        mediator = people.get_staff(connection, small_estate.staff["mediatrice"])
        caretaker = people.get_staff(connection, small_estate.staff["gardien"])
        later = _session(connection, mediator, building_a, "Appeler en vidéo", 5)
        sooner = _session(connection, mediator, building_a, "Le portail", 2, capacity=6)
        cancelled = _session(connection, mediator, building_a, "Annulé", 3)
        _session(connection, caretaker, building_a, "Tri des encombrants", 1)
        events.organise(
            connection,
            odette,
            events.building_of(odette),
            "building",
            "Tricot",
            "",
            "Hall",
            utcnow() + timedelta(days=1),
            utcnow() + timedelta(days=1, hours=1),
        )
        events.reply(connection, odette, sooner, 2)
        events.reply(connection, karim, sooner, 1)
        events.reply(connection, karim, later, 1)
        first_steps.cancel(connection, mediator, cancelled)
        mine = first_steps.upcoming(connection, mediator)
        next_one = first_steps.upcoming(connection, mediator, limit=1)
        theirs = first_steps.upcoming(connection, caretaker)
        logged = [(e["action"], e["target"]) for e in audit.recent(connection)]
    assert [(s["title"], s["coming"], s["places_left"]) for s in mine] == [
        ("Le portail", 3, 3),
        ("Appeler en vidéo", 1, None),
    ]
    assert mine[0]["building_name"] == "Bâtiment A"
    assert [s["title"] for s in next_one] == ["Le portail"]
    assert [s["title"] for s in theirs] == ["Tri des encombrants"]
    assert ("session.organise", f"event:{sooner}") in logged
    assert ("session.cancel", f"event:{cancelled}") in logged


def test_a_member_cannot_touch_another_s_session_nor_organise_outside_their_buildings(
    engine, small_estate
):
    with engine.begin() as connection:
        mediator = people.get_staff(connection, small_estate.staff["mediatrice"])
        caretaker = people.get_staff(connection, small_estate.staff["gardien"])
        theirs = _session(connection, caretaker, small_estate.building_a, "Encombrants", 1)
        with pytest.raises(NotFound):
            first_steps.cancel(connection, mediator, theirs)
        with pytest.raises(DomainError) as refused:
            _session(connection, mediator, small_estate.building_b, "Le portail", 2)
        assert refused.value.field == "building_id"
        assert first_steps.upcoming(connection, mediator) == []


def test_every_wrong_field_of_a_session_is_refused_at_once(engine, small_estate):
    with engine.begin() as connection:
        mediator = people.get_staff(connection, small_estate.staff["mediatrice"])
        starts = utcnow() + timedelta(days=1)
        with pytest.raises(Refusals) as refused:
            first_steps.organise(
                connection,
                mediator,
                small_estate.building_a,
                "street",
                "",
                "",
                "",
                starts,
                starts - timedelta(hours=1),
                0,
            )
    fields = [r.field for r in refused.value.refusals]
    assert fields == ["scope", "title", "place", "ends_at", "capacity"]
