"""Households, profiles and PINs; staff accounts and the buildings they see."""

import pytest

from core.domain import access_codes, people
from core.domain.errors import DomainError
from tests.conftest import PIN, STAFF_PASSWORD


def _code(connection, pepper, place, reference="A-01"):
    return access_codes.find(connection, pepper, place.codes[reference])


def test_the_first_profile_activates_the_code_and_others_join(engine, pepper, small_estate):
    dwelling = small_estate.dwellings["A-01"]
    with engine.begin() as connection:
        code = _code(connection, pepper, small_estate)
        assert code["activated_at"] is None
        people.create_profile(connection, code["id"], dwelling, "Karim", "fr", PIN, PIN)
        people.create_profile(connection, code["id"], dwelling, "Yasmine", "ar", "13579", "13579")
        assert _code(connection, pepper, small_estate)["activated_at"] is not None
        assert [m["display_name"] for m in people.household(connection, dwelling)] == [
            "Karim",
            "Yasmine",
        ]


@pytest.mark.parametrize(
    ("name", "locale", "pin", "confirm", "field"),
    [
        ("", "fr", PIN, PIN, "display_name"),
        ("x" * 41, "fr", PIN, PIN, "display_name"),
        ("Odette", "de", PIN, PIN, "locale"),
        ("Odette", "fr", "12", "12", "pin"),
        ("Odette", "fr", "abcd", "abcd", "pin"),
        ("Odette", "fr", "1111", "1111", "pin"),
        ("Odette", "fr", "٢٥٨٠", "٢٥٨٠", "pin"),
        ("Odette", "fr", PIN, "2581", "pin_confirm"),
    ],
)
def test_a_bad_profile_is_refused_naming_the_field(
    engine, pepper, small_estate, name, locale, pin, confirm, field
):
    with engine.begin() as connection, pytest.raises(DomainError) as caught:
        code = _code(connection, pepper, small_estate)
        people.create_profile(
            connection, code["id"], small_estate.dwellings["A-01"], name, locale, pin, confirm
        )
    assert caught.value.field == field


def test_two_members_of_a_household_cannot_share_a_name(engine, pepper, small_estate):
    dwelling = small_estate.dwellings["A-01"]
    with engine.begin() as connection:
        code = _code(connection, pepper, small_estate)
        people.create_profile(connection, code["id"], dwelling, "Karim", "fr", PIN, PIN)
        with pytest.raises(DomainError) as caught:
            people.create_profile(connection, code["id"], dwelling, "karim", "fr", PIN, PIN)
    assert caught.value.code == "name_taken"


def test_the_pin_is_checked_for_that_member_only(engine, pepper, small_estate):
    dwelling = small_estate.dwellings["A-01"]
    with engine.begin() as connection:
        code = _code(connection, pepper, small_estate)
        karim = people.create_profile(connection, code["id"], dwelling, "Karim", "fr", PIN, PIN)
        assert people.check_pin(connection, dwelling, karim, PIN)
        assert not people.check_pin(connection, dwelling, karim, "9753")
        assert not people.check_pin(connection, small_estate.dwellings["A-02"], karim, PIN)


def test_moving_out_revokes_the_code_and_retires_the_profiles(engine, pepper, small_estate):
    dwelling = small_estate.dwellings["A-01"]
    with engine.begin() as connection:
        code = _code(connection, pepper, small_estate)
        karim = people.create_profile(connection, code["id"], dwelling, "Karim", "fr", PIN, PIN)
        assert people.move_out(connection, dwelling, small_estate.staff["agent"]) == 1
        assert people.get_profile(connection, karim) is None
        assert not people.check_pin(connection, dwelling, karim, PIN)
        assert _code(connection, pepper, small_estate) is None
        assert people.household(connection, dwelling) == []


def test_staff_see_only_their_buildings_and_operators_see_all(engine, small_estate):
    with engine.begin() as connection:
        agent_b = people.get_staff(connection, small_estate.staff["agent.b"])
        operator = people.get_staff(connection, small_estate.staff["operateur"])
        assert agent_b["building_ids"] == [small_estate.building_b]
        assert set(operator["building_ids"]) == {small_estate.building_a, small_estate.building_b}
        assert "password_hash" not in agent_b


def test_staff_sign_in_needs_the_right_password(engine, small_estate):
    with engine.begin() as connection:
        assert (
            people.authenticate_staff(connection, "AGENT", STAFF_PASSWORD)
            == (small_estate.staff["agent"])
        )
        assert people.authenticate_staff(connection, "agent", "wrong password") is None
        assert people.authenticate_staff(connection, "nobody", STAFF_PASSWORD) is None
