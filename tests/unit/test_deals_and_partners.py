"""Shops' deals reach the residences they target while they last; partners' services
reach the boxes of their district or city; both follow their changes."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.domain import deals, estate, expired, partners, publishing
from core.domain.clock import utcnow
from core.domain.errors import DomainError
from core.storage.schema import outbox


@pytest.fixture
def bakery(small_estate):
    return small_estate.publishers["shop"]


def _kinds(connection):
    return [
        (row.peer_id, row.kind)
        for row in connection.execute(
            select(outbox.c.peer_id, outbox.c.kind).order_by(outbox.c.peer_id, outbox.c.seq)
        )
    ]


def test_a_deal_shows_from_its_first_to_its_last_day_then_is_forgotten(
    engine, small_estate, bakery
):
    today = utcnow().date()
    with engine.begin() as connection:
        deals.publish(
            connection,
            bakery,
            "Pain offert",
            "Le lundi.",
            today,
            today + timedelta(days=2),
            [small_estate.residence_id],
        )
        deals.publish(
            connection,
            bakery,
            "Galette",
            "En janvier.",
            today + timedelta(days=5),
            today + timedelta(days=9),
            [small_estate.residence_id],
        )
        now = [d["title"] for d in deals.current(connection, small_estate.residence_id, today)]
        later = [
            d["title"]
            for d in deals.current(connection, small_estate.residence_id, today + timedelta(days=6))
        ]
        assert expired.forget(connection, utcnow() + timedelta(days=4)) == 1
        left = [d["title"] for d in deals.of_shop(connection, bakery, today)]
    assert (now, later, left) == (["Pain offert"], ["Galette"], ["Galette"])


def test_a_deal_needs_dates_in_order_a_residence_and_at_most_three_months(
    engine, small_estate, bakery
):
    today = utcnow().date()
    with engine.begin() as connection:
        for start, end, residences, field in [
            (today, today - timedelta(days=1), [small_estate.residence_id], "valid_until"),
            (today, today + timedelta(days=120), [small_estate.residence_id], "valid_until"),
            (today, today, [], "residences"),
        ]:
            with pytest.raises(DomainError) as refused:
                deals.publish(connection, bakery, "Promo", "Texte", start, end, residences)
            assert refused.value.field == field


def test_at_the_hub_a_deal_goes_to_the_boxes_of_its_residence(engine, hub_with_two_boxes, bakery):
    place, today = hub_with_two_boxes, utcnow().date()
    with engine.begin() as connection:
        deal_id = deals.publish(
            connection, bakery, "Pain offert", "Le lundi.", today, today, [place.residence_id]
        )
        publishing.take_down(connection, deals.PUBLICATION, deal_id, place.staff["operateur"])
        assert _kinds(connection) == [
            ("box-a", "deal.published"),
            ("box-a", "deal.withdrawn"),
            ("box-b", "deal.published"),
            ("box-b", "deal.withdrawn"),
        ]


def test_a_service_reaches_the_buildings_of_its_district_and_follows_its_scope(
    engine, hub_with_two_boxes
):
    place = hub_with_two_boxes
    with engine.begin() as connection:
        building_a = estate.get_building(connection, place.building_a)
        partner_id = partners.add(
            connection,
            place.staff["operateur"],
            name="Centre social",
            category="social",
            description="Aide aux démarches.",
            address="",
            phone="04 91 00 00 00",
            opening_hours="",
            scope_kind="district",
            scope_ref=building_a["district"],
        )
        assert [p["name"] for p in partners.directory(connection, building_a)] == ["Centre social"]
        publishing.change(
            connection,
            partners.PUBLICATION,
            partner_id,
            place.staff["operateur"],
            {
                "name": "Centre social",
                "category": "social",
                "description": "Aide aux démarches.",
                "scope_kind": "building",
                "scope_ref": place.building_b,
            },
        )
        assert partners.directory(connection, building_a) == []
        assert _kinds(connection) == [
            ("box-a", "partner.published"),
            ("box-a", "partner.withdrawn"),
            ("box-b", "partner.published"),
            ("box-b", "partner.published"),
        ]
        with pytest.raises(DomainError) as refused:
            partners.add(
                connection,
                None,
                name="",
                category="social",
                description="x",
                address="",
                phone="",
                opening_hours="",
                scope_kind="city",
                scope_ref="Marseille",
            )
        assert refused.value.field == "name"
