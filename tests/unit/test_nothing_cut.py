"""Nothing people type is cut without a word: too long is refused, naming the field, where
it used to be cut to its column silently."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from core.domain import deals, events, moderation, partners, works
from core.domain.clock import utcnow
from core.domain.errors import DomainError

NOW = datetime(2026, 12, 7, 10, 0)


def _refused(call, field: str) -> None:
    with pytest.raises(DomainError) as refused:
        call()
    assert refused.value.field == field and refused.value.code == f"{field}_long"


def _partner(**fields: str) -> dict[str, str]:
    return {
        "name": "Centre social",
        "category": "social",
        "description": "Aide aux démarches.",
        "address": "",
        "phone": "",
        "opening_hours": "",
        "scope_kind": "city",
        "scope_ref": "Marseille",
        **fields,
    }


def _event(**fields):
    values = {
        "title": "Goûter",
        "description": "Venez nombreux.",
        "place": "Salle commune",
        "starts_at": NOW + timedelta(days=1),
        "ends_at": NOW + timedelta(days=1, hours=2),
        "capacity": None,
        "now": NOW,
        **fields,
    }
    return events._checked(**values)


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("name", 140),
        ("description", 3000),
        ("address", 200),
        ("phone", 40),
        ("opening_hours", 1000),
    ],
)
def test_a_partner_s_field_too_long_is_refused(field, limit):
    assert partners._checked(_partner(**{field: "x" * limit}), None)[field] == "x" * limit
    _refused(lambda: partners._checked(_partner(**{field: "x" * (limit + 1)}), None), field)


def test_an_event_s_place_and_description_too_long_are_refused():
    assert _event(place="p" * 140, description="d" * 5000)["description"] == "d" * 5000
    _refused(lambda: _event(place="p" * 141), "place")
    _refused(lambda: _event(description="d" * 5001), "description")


def test_a_works_notice_s_place_too_long_is_refused():
    start = date(2026, 12, 8)

    def announce(location: str):
        notice = {
            "title": "Ascenseur",
            "location": location,
            "starts_on": start,
            "ends_on": start,
            "scope_kind": "city",
            "scope_ref": "Marseille",
        }
        return works._checked(notice, None)

    assert announce("l" * 140)["location"] == "l" * 140
    _refused(lambda: announce("l" * 141), "location")


def test_a_deal_s_description_too_long_is_refused():
    start = utcnow().date()

    def publish(description: str):
        deal = {
            "title": "Promo",
            "description": description,
            "valid_from": start,
            "valid_until": start,
            "residence_ids": ["r"],
            "publisher_id": "shop",
        }
        return deals._checked(deal, None)

    assert publish("d" * 3000)["description"] == "d" * 3000
    _refused(lambda: publish("d" * 3001), "description")


def test_a_moderator_s_reason_too_long_is_refused():
    assert moderation._reason("r" * 1000) == "r" * 1000
    _refused(lambda: moderation._reason("r" * 1001), "reason")
