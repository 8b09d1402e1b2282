"""The link's bookkeeping: what a change queues, for whom, and when it may go or be applied."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from core.domain import cursor, estate, news, outbox, people, publishing, reports, side, works
from core.domain.clock import utcnow
from core.storage.schema import outbox as outbox_table
from provisioning.enrolment import accept_enrolment, enrol_box
from tests.conftest import PIN

# Long enough after now for any message still waiting to be late.
LATER = utcnow() + timedelta(hours=1)


def _profile(connection, pepper, place, reference="A-01"):
    from core.domain import access_codes

    code = access_codes.find(connection, pepper, place.codes[reference])
    profile_id = people.create_profile(
        connection, code["id"], place.dwellings[reference], "Odette", "fr", PIN, PIN
    )
    return people.get_profile(connection, profile_id)


def _kinds(connection) -> list[tuple[str, int, str]]:
    return [
        tuple(row)
        for row in connection.execute(
            select(outbox_table.c.peer_id, outbox_table.c.seq, outbox_table.c.kind).order_by(
                outbox_table.c.peer_id, outbox_table.c.seq
            )
        )
    ]


def test_a_box_without_a_hub_queues_nothing(engine, pepper, small_estate):
    with engine.begin() as connection:
        tenant = _profile(connection, pepper, small_estate)
        reports.file(connection, tenant, "lift", "lift", "En panne")
        assert _kinds(connection) == []


def test_a_linked_box_queues_each_report_change_for_the_hub_in_order(engine, pepper, small_estate):
    with engine.begin() as connection:
        side.become_box(connection, "box-a")
        tenant = _profile(connection, pepper, small_estate)
        neighbour = _profile(connection, pepper, small_estate, "A-02")
        report_id = reports.file(connection, tenant, "lift", "lift", "En panne")
        reports.add_tenant_message(connection, tenant, report_id, "Toujours en panne")
        reports.me_too(connection, neighbour, report_id)
        assert _kinds(connection) == [
            ("hub", 1, "report.filed"),
            ("hub", 2, "report.message"),
            ("hub", 3, "report.supported"),
        ]
        assert outbox.not_delivered(connection, [report_id, "other"], now=LATER) == {report_id}
        assert outbox.acknowledged(connection, "hub", 2) == 2
        assert _kinds(connection) == [("hub", 3, "report.supported")]
        assert outbox.not_delivered(connection, [report_id], now=LATER) == {report_id}
        outbox.acknowledged(connection, "hub", 3)
        assert outbox.not_delivered(connection, [report_id], now=LATER) == set()


def test_a_report_goes_to_the_hub_with_who_filed_it_and_how_to_reach_them(
    engine, pepper, small_estate
):
    with engine.begin() as connection:
        side.become_box(connection, "box-a")
        tenant = _profile(connection, pepper, small_estate)
        people.set_contact(connection, tenant["id"], "06 12 34 56 78")
        people.set_preferences(connection, tenant["id"], locale="ar")
        reports.file(
            connection, people.get_profile(connection, tenant["id"]), "lift", "lift", "En panne"
        )
        body = connection.execute(
            select(outbox_table.c.body).where(outbox_table.c.kind == "report.filed")
        ).scalar_one()
    assert json.loads(body)["household"] == {
        "name": "Odette",
        "locale": "ar",
        "contact": "06 12 34 56 78",
    }


def test_numbers_go_on_after_acknowledged_messages_are_forgotten(engine):
    with engine.begin() as connection:
        side.become_box(connection, "box-a")
        outbox.tell_hub(connection, "report.message", {"n": 1})
        outbox.acknowledged(connection, "hub", 1)
        outbox.tell_hub(connection, "report.message", {"n": 2})
        assert _kinds(connection) == [("hub", 2, "report.message")]


def test_only_the_next_message_in_order_is_applied_and_only_once(engine):
    with engine.begin() as connection:
        side.become_box(connection, "box-a")
        assert cursor.claim_next(connection, "hub", 2) == cursor.AHEAD
        assert cursor.claim_next(connection, "hub", 1) == cursor.NEXT
        assert cursor.claim_next(connection, "hub", 1) == cursor.SEEN
        assert cursor.claim_next(connection, "hub", 2) == cursor.NEXT
        assert cursor.applied_seq(connection, "hub") == 2


def test_messages_go_out_within_the_window_and_again_when_unanswered(engine):
    now = utcnow()
    with engine.begin() as connection:
        side.become_box(connection, "box-a")
        for n in range(5):
            outbox.tell_hub(connection, "report.message", {"n": n})
        first = outbox.take_due(connection, now, resend_after=10, window=3)
        assert [row["seq"] for row in first] == [1, 2, 3]
        assert outbox.take_due(connection, now, resend_after=10, window=3) == []
        outbox.acknowledged(connection, "hub", 2)
        assert [r["seq"] for r in outbox.take_due(connection, now, 10, 3)] == [4, 5]
        later = now + timedelta(seconds=11)
        assert [r["seq"] for r in outbox.take_due(connection, later, 10, 3)] == [3, 4, 5]
        outbox.send_again(connection, "hub")
        assert [r["seq"] for r in outbox.take_due(connection, later, 10, 3)] == [3, 4, 5]


def test_messages_out_at_once_stay_under_the_byte_window_but_a_big_one_still_goes(engine):
    now = utcnow()
    with engine.begin() as connection:
        side.become_box(connection, "box-a")
        outbox.tell_hub(connection, "photo.added", {"jpeg": "x" * 5000})
        for n in range(4):
            outbox.tell_hub(connection, "report.message", {"text": "y" * 900, "n": n})
        # The photo alone is over the window: it goes, and nothing after it.
        taken = outbox.take_due(connection, now, 10, window=100, window_bytes=4000)
        assert [row["seq"] for row in taken] == [1]
        assert outbox.take_due(connection, now, 10, window=100, window_bytes=4000) == []
        outbox.acknowledged(connection, "hub", 1)
        taken = outbox.take_due(connection, now, 10, window=100, window_bytes=2000)
        assert [row["seq"] for row in taken] == [2, 3]
        assert outbox.take_due(connection, now, 10, window=100, window_bytes=2000) == []


def test_the_hub_sends_news_to_exactly_the_boxes_in_its_scope(engine, hub_with_two_boxes):
    place = hub_with_two_boxes
    publisher = place.publishers["town_hall"]
    with engine.begin() as connection:
        building = estate.get_building(connection, place.building_b)
        news.publish(connection, publisher, "Pour B", "Texte", "building", place.building_b)
        news.publish(connection, publisher, "Résidence", "Texte", "residence", place.residence_id)
        news.publish(connection, publisher, "Quartier", "Texte", "district", building["district"])
        news.publish(connection, publisher, "Ailleurs", "Texte", "district", "Belsunce")
        works.announce(
            connection,
            "building",
            place.building_a,
            "Peinture",
            "Hall",
            utcnow().date(),
            utcnow().date(),
        )
        assert _kinds(connection) == [
            ("box-a", 1, "news.published"),
            ("box-a", 2, "news.published"),
            ("box-a", 3, "works.announced"),
            ("box-b", 1, "news.published"),
            ("box-b", 2, "news.published"),
            ("box-b", 3, "news.published"),
        ]


def test_a_withdrawn_news_item_is_taken_down_where_it_went(engine, hub_with_two_boxes):
    place = hub_with_two_boxes
    with engine.begin() as connection:
        news_id = news.publish(
            connection,
            place.publishers["town_hall"],
            "Pour B",
            "Texte",
            "building",
            place.building_b,
        )
        publishing.take_down(connection, news.PUBLICATION, news_id, place.staff["mairie"])
        assert _kinds(connection) == [
            ("box-b", 1, "news.published"),
            ("box-b", 2, "news.withdrawn"),
        ]


def test_an_edited_news_item_goes_again_and_leaves_the_boxes_out_of_its_new_scope(
    engine, hub_with_two_boxes
):
    place = hub_with_two_boxes
    with engine.begin() as connection:
        news_id = news.publish(
            connection,
            place.publishers["town_hall"],
            "Résidence",
            "Texte",
            "residence",
            place.residence_id,
        )
        publishing.change(
            connection,
            news.PUBLICATION,
            news_id,
            place.staff["mairie"],
            {
                "title": "Pour A",
                "body": "Texte",
                "scope_kind": "building",
                "scope_ref": place.building_a,
            },
        )
        assert _kinds(connection) == [
            ("box-a", 1, "news.published"),
            ("box-a", 2, "news.published"),
            ("box-b", 1, "news.published"),
            ("box-b", 2, "news.withdrawn"),
        ]


def test_works_go_to_exactly_the_boxes_of_their_scope_and_follow_its_changes(
    engine, hub_with_two_boxes
):
    place = hub_with_two_boxes
    today = utcnow().date()
    with engine.begin() as connection:
        notice = works.announce(
            connection, "residence", place.residence_id, "Espaces verts", "Jardins", today, today
        )
        publishing.change(
            connection,
            works.PUBLICATION,
            notice,
            place.staff["agent"],
            {
                "scope_kind": "building",
                "scope_ref": place.building_b,
                "title": "Espaces verts de B",
                "location": "Jardins",
                "starts_on": today,
                "ends_on": today,
            },
        )
        publishing.take_down(connection, works.PUBLICATION, notice, place.staff["agent"])
        assert _kinds(connection) == [
            ("box-a", 1, "works.announced"),
            ("box-a", 2, "works.withdrawn"),
            ("box-b", 1, "works.announced"),
            ("box-b", 2, "works.announced"),
            ("box-b", 3, "works.withdrawn"),
        ]


def test_a_box_enrolled_late_gets_the_news_and_works_already_current(engine, small_estate):
    place = small_estate
    today = utcnow().date()
    with engine.begin() as connection:
        side.become_hub(connection)
        news.publish(
            connection, place.publishers["landlord"], "Ancienne", "Texte", "city", "Marseille"
        )
        works.announce(connection, "building", place.building_a, "Toiture", "Toit", today, today)
        works.announce(connection, "building", place.building_b, "Cave", "Cave", today, today)
        password_file = Path(engine.url.database).parent / "passwords"
        enrol_box(
            connection, password_file, "box-a", "A", [place.building_a], {"host": "h", "port": 1}
        )
        assert _kinds(connection) == [
            ("box-a", 1, "news.published"),
            ("box-a", 2, "works.announced"),
        ]


def test_a_box_linked_late_sends_its_open_reports_with_what_followed(
    engine, pepper, small_estate, tmp_path
):
    with engine.begin() as connection:
        tenant = _profile(connection, pepper, small_estate)
        neighbour = _profile(connection, pepper, small_estate, "A-02")
        report_id = reports.file(connection, tenant, "lift", "lift", "En panne")
        reports.add_tenant_message(connection, tenant, report_id, "Toujours")
        reports.me_too(connection, neighbour, report_id)
        closed = reports.file(connection, tenant, "noise", "hall", "Bruit")
        agent = people.get_staff(connection, small_estate.staff["agent"])
        reports.move(connection, agent, closed, "resolved", "Fait")
        enrolment = {
            "box_id": "box-a",
            "broker": {"host": "h", "port": 1},
            "password": "p",
            "residences": [],
            "buildings": [],
        }
        accept_enrolment(connection, tmp_path, enrolment)
        assert _kinds(connection) == [
            ("hub", 1, "report.filed"),
            ("hub", 2, "report.message"),
            ("hub", 3, "report.supported"),
        ]
