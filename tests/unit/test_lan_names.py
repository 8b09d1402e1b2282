"""The names the box is found by on the building's network."""

import pytest

from core.domain import lan_names


@pytest.mark.parametrize(
    ("box_name", "label"),
    [
        ("Bâtiment A", "batiment-a"),
        ("Résidacœur", "residacoeur"),
        ("Tour 3 — Les Œillets", "tour-3-les-oeillets"),
        ("  Résidence   Les Micocouliers  ", "residence-les-micocouliers"),
        ("L'Étoile / Bât. B", "l-etoile-bat-b"),
        ("ÆSCHNE STRAßE", "aeschne-strasse"),
        # Nothing left after folding: the product's name.
        ("", "residacoeur"),
        ("   ", "residacoeur"),
        ("سكن النور", "residacoeur"),
        ("---", "residacoeur"),
    ],
)
def test_the_host_name_is_the_box_name_folded_to_a_dns_label(box_name, label):
    assert lan_names.host_label(box_name) == label
    assert lan_names.checked_label(label) == label


def test_a_long_name_is_cut_to_63_octets_without_a_dash_at_its_end():
    label = lan_names.host_label("Résidence " + "a" * 52 + " Bâtiment B")
    assert len(label) <= 63
    assert label == "residence-" + "a" * 52
    assert lan_names.host_label("x" * 80) == "x" * 63


def test_the_next_names_stay_within_63_octets():
    assert lan_names.numbered("batiment-a", 1) == "batiment-a"
    assert lan_names.numbered("batiment-a", 2) == "batiment-a-2"
    long = "b" * 62 + "c"
    assert lan_names.numbered(long, 12) == "b" * 60 + "-12"
    assert lan_names.numbered("b" * 61 + "-c", 2) == "b" * 61 + "-2"


@pytest.mark.parametrize("given", ["Batiment-A", "batiment-a.local", " batiment-a "])
def test_an_operator_may_set_the_name_in_any_case_with_or_without_local(given):
    assert lan_names.checked_label(given) == "batiment-a"


@pytest.mark.parametrize("given", ["bâtiment-a", "batiment a", "-a", "a-", "a.b", "x" * 64, ""])
def test_a_name_dns_cannot_carry_is_refused_naming_the_setting(given):
    with pytest.raises(lan_names.LanNameError, match="lan_name"):
        lan_names.checked_label(given)


@pytest.mark.parametrize(
    ("box_name", "shown"),
    [
        ("Bâtiment A", "Résidacœur — Bâtiment A"),
        ("Résidacœur", "Résidacœur"),
        ("", "Résidacœur"),
        ("سكن النور", "Résidacœur — سكن النور"),
        # A dot would split the name; control characters are dropped.
        ("Bât. B\x07\n", "Résidacœur — Bât B"),
    ],
)
def test_the_friendly_name_is_the_product_and_the_box_name(box_name, shown):
    assert lan_names.instance_name(box_name) == shown


def test_the_friendly_name_leaves_room_for_a_number_within_63_octets():
    shown = lan_names.instance_name("Résidence des Œillets " + "é" * 40)
    assert len(shown.encode("utf-8")) <= 59
    assert len((shown + "-2").encode("utf-8")) <= 63
