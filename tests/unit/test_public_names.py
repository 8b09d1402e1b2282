"""Each box's public name is made by the hub from its building's name: a DNS label,
unique at the hub, under the landlord's domain."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.domain import fleet, public_names, side
from core.storage.schema import outbox

DOMAIN = "micocouliers.bailleur.example"


@pytest.mark.parametrize(
    ("building", "label"),
    [
        ("Bâtiment A", "batiment-a"),
        ("  Résidence Les Œillets — Escalier 2 ", "residence-les-oeillets-escalier-2"),
        ("L'Étoile", "l-etoile"),
        ("مبنى", "residacoeur"),
        ("x" * 80, "x" * public_names.LABEL_MOST),
    ],
)
def test_a_building_s_name_becomes_a_dns_label(building, label):
    assert public_names.slug(building) == label


def test_boxes_get_unique_names_and_are_told_them(engine, small_estate):
    with engine.begin() as connection:
        side.become_hub(connection)
        fleet.enrol(connection, "box-a", "A", [small_estate.building_a])
        fleet.enrol(connection, "box-b", "B", [small_estate.building_b])
        fleet.enrol(connection, "box-c", "Bâtiment A", [])
        named = public_names.assign_all(connection, DOMAIN + ".")
        again = public_names.assign_all(connection, DOMAIN)
        names = {box: public_names.name_of(connection, box) for box in named}
        told = connection.execute(
            select(outbox.c.peer_id).where(outbox.c.kind == "certificate.named")
        ).scalars()
        told = sorted(told)

    assert names == {
        "box-a": f"batiment-a.{DOMAIN}",
        "box-b": f"batiment-b.{DOMAIN}",
        "box-c": f"batiment-a-2.{DOMAIN}",
    }
    assert again == []
    assert told == ["box-a", "box-b", "box-c"]


def test_without_a_domain_no_box_is_named(engine, small_estate):
    with engine.begin() as connection:
        side.become_hub(connection)
        fleet.enrol(connection, "box-a", "A", [small_estate.building_a])
        assert public_names.assign_all(connection, "") == []
        assert public_names.name_of(connection, "box-a") is None


def test_a_new_domain_renames_the_box(engine, small_estate):
    with engine.begin() as connection:
        side.become_hub(connection)
        fleet.enrol(connection, "box-a", "A", [small_estate.building_a])
        public_names.assign(connection, "box-a", DOMAIN)
        renamed = public_names.assign(connection, "box-a", "autre.example")

    assert renamed == "batiment-a.autre.example"


def test_a_retired_box_s_name_goes_to_the_box_that_replaces_it(engine, small_estate):
    with engine.begin() as connection:
        side.become_hub(connection)
        fleet.enrol(connection, "box-a", "A", [small_estate.building_a])
        first = public_names.assign(connection, "box-a", DOMAIN)
        fleet.retire(connection, "box-a")
        fleet.enrol(connection, "box-a2", "A", [small_estate.building_a])
        assert public_names.assign(connection, "box-a2", DOMAIN) == first
