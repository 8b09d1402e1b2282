"""Access codes: strong, readable, typed any way, and never kept in clear."""

import math

import pytest
from sqlalchemy import select

from core.domain import access_codes
from core.domain.errors import DomainError
from core.storage.schema import access_codes as table


def test_a_code_carries_at_least_fifty_bits_of_entropy():
    assert LENGTH_BITS >= 50


LENGTH_BITS = access_codes.LENGTH * math.log2(len(access_codes.ALPHABET))


def test_the_alphabet_has_no_look_alike_characters():
    assert not set("0O1IL") & set(access_codes.ALPHABET)
    assert len(set(access_codes.ALPHABET)) == len(access_codes.ALPHABET)


def test_codes_are_printed_in_groups_of_four():
    code = access_codes.generate()
    printed = access_codes.printable(code)
    assert len(printed) == 14 and printed.count("-") == 2
    assert printed.replace("-", "") == code


@pytest.mark.parametrize(
    "typed", ["k7qm-4rzt-9xpd", "K7QM4RZT9XPD", " k7qm 4rzt 9xpd ", "K7QM_4RZT.9XPD"]
)
def test_a_code_is_accepted_in_any_case_with_or_without_dashes(typed):
    assert access_codes.normalise(typed) == "K7QM4RZT9XPD"


def test_a_look_alike_character_is_explained():
    with pytest.raises(DomainError) as caught:
        access_codes.normalise("K7QM-4RZT-9XP0")
    assert caught.value.code == "code_characters"
    assert "0" in caught.value.params["chars"]


def test_a_short_code_says_how_many_characters_were_typed():
    with pytest.raises(DomainError) as caught:
        access_codes.normalise("K7QM-4RZT")
    assert caught.value.params == {"count": 8}


def test_codes_are_random():
    assert len({access_codes.generate() for _ in range(1000)}) == 1000


def test_the_code_is_never_stored_in_clear(engine, small_estate):
    code = small_estate.codes["A-01"]
    with engine.connect() as connection:
        stored = connection.execute(select(table)).mappings().all()
    dump = repr(stored)
    assert code not in dump and access_codes.printable(code) not in dump


def test_reissuing_a_code_stops_the_old_one_at_once(engine, pepper, small_estate):
    old = small_estate.codes["A-01"]
    with engine.begin() as connection:
        new = access_codes.issue(connection, pepper, small_estate.dwellings["A-01"])
    with engine.connect() as connection:
        assert access_codes.find(connection, pepper, old) is None
        assert (
            access_codes.find(connection, pepper, new)["dwelling_id"]
            == small_estate.dwellings["A-01"]
        )
