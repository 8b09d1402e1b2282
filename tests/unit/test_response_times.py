"""Response times from hand-made report timelines: exact medians, 90th percentiles, overdue.

The same timelines run on SQLite and on PostgreSQL (the ``database`` fixture) and must
give the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest

from core.domain import estate
from core.domain import report_status as rs
from core.domain import response_times as rt
from core.domain.clock import new_id
from core.storage.schema import report_events, reports

NOW = datetime(2026, 11, 23, 12, 0)
HOUR = 3600
DAY = 24 * HOUR


@dataclass
class Timelines:
    """Two buildings and the reports filed there, named r1, r2… as in the tests."""

    building_a: str
    building_b: str
    dwellings: dict[str, str]
    ids: dict[str, str] = field(default_factory=dict)


def _file(connection, place, name, building, category, received_days_ago, moves):
    """Write a report received that many days ago and its moves, each (status, seconds later)."""
    received = NOW - timedelta(days=received_days_ago)
    status = moves[-1][0] if moves else rs.RECEIVED
    report_id = new_id()
    connection.execute(
        reports.insert().values(
            id=report_id,
            number=len(place.ids) + 1,
            building_id=place.building_a if building == "A" else place.building_b,
            dwelling_id=place.dwellings[building],
            category=category,
            location="hall",
            description=name,
            status=status,
            created_at=received,
            updated_at=received,
        )
    )
    for event_status, seconds in [(rs.RECEIVED, 0), *moves]:
        connection.execute(
            report_events.insert().values(
                id=new_id(),
                report_id=report_id,
                status=event_status,
                created_at=received + timedelta(seconds=seconds),
            )
        )
    place.ids[name] = report_id


@pytest.fixture
def timelines(database) -> Timelines:
    with database.begin() as connection:
        residence = estate.add_residence(connection, "Les Tilleuls", "La Viste", "Marseille")
        a = estate.add_building(connection, residence, "Bâtiment A")
        b = estate.add_building(connection, residence, "Bâtiment B")
        place = Timelines(
            a,
            b,
            {
                "A": estate.register_dwelling(connection, a, "A-01", "1", 1),
                "B": estate.register_dwelling(connection, b, "B-01", "1", 1),
            },
        )
        _file(
            connection,
            place,
            "r1",
            "A",
            "lift",
            10,
            [(rs.ACKNOWLEDGED, HOUR), (rs.RESOLVED, 2 * DAY)],
        )
        # Planned straight away: planning it is acknowledging it.
        _file(
            connection,
            place,
            "r2",
            "A",
            "lift",
            9,
            [(rs.SCHEDULED, 3 * HOUR), (rs.RESOLVED, 5 * DAY), (rs.CLOSED, 6 * DAY)],
        )
        _file(connection, place, "r3", "A", "noise", 8, [(rs.ACKNOWLEDGED, 5 * HOUR)])
        # Not the landlord's: an answer, not a repair; its closing is no resolution.
        _file(
            connection,
            place,
            "r4",
            "A",
            "noise",
            7,
            [(rs.NOT_RESPONSIBLE, 2 * HOUR), (rs.CLOSED, DAY)],
        )
        _file(connection, place, "r5", "A", "lift", 1, [])
        _file(connection, place, "r6", "B", "damage", 3, [])
        _file(connection, place, "r7", "B", "damage", 35, [(rs.ACKNOWLEDGED, HOUR)])
        # Received before the period: not in the times, still overdue.
        _file(connection, place, "r8", "B", "damage", 100, [])
        # Solved, then taken up again: the first solution counts.
        _file(
            connection,
            place,
            "r9",
            "B",
            "damage",
            20,
            [(rs.ACKNOWLEDGED, HOUR), (rs.RESOLVED, 2 * DAY), (rs.ACKNOWLEDGED, 4 * DAY)],
        )
    return place


def _times(count, median, p90):
    return {"count": count, "median": median, "p90": p90}


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([], 0.5, None),
        ([7.0], 0.9, 7.0),
        ([4.0, 1.0, 3.0, 2.0], 0.5, 2.5),
        ([4.0, 1.0, 3.0, 2.0], 0.9, 3.7),
        ([10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0, 110.0], 0.9, 100.0),
    ],
)
def test_percentiles_interpolate_between_closest_ranks(values, fraction, expected):
    found = rt.percentile(values, fraction)
    assert found == (None if expected is None else pytest.approx(expected))


def test_times_per_building_count_from_received_to_first_answer_and_first_solution(
    database, timelines
):
    with database.connect() as connection:
        found = rt.summary(connection, [timelines.building_a, timelines.building_b], NOW, fewest=1)
    assert found["since"] == NOW - timedelta(days=90)
    a, b = found["by_building"]
    assert (a["building_name"], a["received"]) == ("Bâtiment A", 5)
    assert a["to_acknowledge"] == _times(4, 9000, 15840)
    assert a["to_resolve"] == _times(2, 302400, 406080)
    assert (b["building_name"], b["received"]) == ("Bâtiment B", 3)
    assert b["to_acknowledge"] == _times(2, HOUR, HOUR)
    assert b["to_resolve"] == _times(1, 2 * DAY, 2 * DAY)


def test_times_per_category_follow_the_order_of_the_report_form(database, timelines):
    with database.connect() as connection:
        found = rt.summary(connection, [timelines.building_a, timelines.building_b], NOW, fewest=1)
    by_category = {row["category"]: row for row in found["by_category"]}
    assert [row["category"] for row in found["by_category"]] == ["lift", "noise", "damage"]
    assert by_category["lift"]["received"] == 3
    assert by_category["lift"]["to_acknowledge"] == _times(2, 7200, 10080)
    assert by_category["lift"]["to_resolve"] == _times(2, 302400, 406080)
    assert by_category["noise"]["to_acknowledge"] == _times(2, 12600, 16920)
    assert by_category["noise"]["to_resolve"] == _times(0, None, None)
    assert by_category["damage"]["to_acknowledge"] == _times(2, HOUR, HOUR)


def test_overdue_are_open_reports_unread_after_two_days_or_unsolved_after_a_month(
    database, timelines
):
    with database.connect() as connection:
        late = rt.overdue(connection, [timelines.building_a, timelines.building_b], NOW)
    assert [(r["id"], r["reason"]) for r in late] == [
        (timelines.ids["r8"], rt.NOT_ACKNOWLEDGED),
        (timelines.ids["r7"], rt.NOT_RESOLVED),
        (timelines.ids["r6"], rt.NOT_ACKNOWLEDGED),
    ]
    assert late[2]["due_at"] == NOW - timedelta(days=3) + timedelta(hours=48)
    assert late[1]["due_at"] == NOW - timedelta(days=35) + timedelta(days=30)
    assert late[2]["waited_s"] == 3 * DAY


def test_an_agent_gets_only_their_buildings_and_the_period_chosen(database, timelines):
    with database.connect() as connection:
        only_a = rt.summary(connection, [timelines.building_a], NOW, days=30)
        last_week = rt.summary(connection, [timelines.building_b], NOW, days=7)
        nothing = rt.summary(connection, [], NOW)
    assert [row["building_name"] for row in only_a["by_building"]] == ["Bâtiment A"]
    assert only_a["overdue"] == []
    assert last_week["by_building"][0]["received"] == 1
    assert [r["id"] for r in last_week["overdue"]] == [
        timelines.ids["r8"],
        timelines.ids["r7"],
        timelines.ids["r6"],
    ]
    assert nothing["by_building"] == nothing["by_category"] == nothing["overdue"] == []


def test_over_fewer_than_five_reports_only_the_count_is_given(database, timelines):
    with database.connect() as connection:
        found = rt.summary(connection, [timelines.building_a, timelines.building_b], NOW)
    a = found["by_building"][0]
    assert found["fewest"] == rt.FEWEST_FOR_TIMES == 5
    assert a["to_acknowledge"] == _times(4, None, None)
    assert a["to_resolve"] == _times(2, None, None)
    with database.begin() as connection:
        for n in range(1, 6):
            _file(connection, timelines, f"x{n}", "A", "leak", 2, [(rs.ACKNOWLEDGED, n * HOUR)])
        found = rt.summary(connection, [timelines.building_a], NOW)
    leak = next(row for row in found["by_category"] if row["category"] == "leak")
    assert leak["to_acknowledge"] == _times(5, 3 * HOUR, 4.6 * HOUR)


def test_every_month_of_the_period_has_its_times_even_without_a_report(database, timelines):
    with database.connect() as connection:
        found = rt.summary(
            connection, [timelines.building_a, timelines.building_b], NOW, days=90, fewest=1
        )
    months = [row["month"] for row in found["by_month"]]
    assert months == [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    by_month = {row["month"]: row for row in found["by_month"]}
    # r7, 35 days before 23 November: October; the other seven in November.
    assert by_month[date(2026, 10, 1)]["received"] == 1
    assert by_month[date(2026, 11, 1)]["received"] == 7
    assert by_month[date(2026, 8, 1)]["received"] == 0
    assert by_month[date(2026, 8, 1)]["to_acknowledge"] == _times(0, None, None)
    assert by_month[date(2026, 10, 1)]["to_acknowledge"] == _times(1, HOUR, HOUR)
