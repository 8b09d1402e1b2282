"""How fast the landlord answers: times to acknowledge and to resolve, and what is overdue.

For each report received in the period, the clock starts at its "received" event. It is
acknowledged at the first status change an agent made, whatever it was (taken into
account, planned, solved, not the landlord's, already reported): the landlord has read
it. It is resolved at its first "solved" event, even if it was taken up again later.
"Closed" only ever follows "solved" (already counted), "not the landlord's" or "already
reported"; those two are answers, not repairs, and give no time to resolve. Times are
given per building, per kind of problem and per month as the median and the 90th
percentile, in seconds, with how many reports each rests on; over fewer than five
reports a percentile says more about one report than about the landlord, and is not
given.

Overdue are open reports, whenever received, still waiting beyond the landlord's
commitments below. Working days are not counted apart: a weekend counts.

A few thousand reports per agent at most: the percentiles are computed here rather than
in SQL, so SQLite and PostgreSQL give the same figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from core.domain import report_status as rs
from core.domain import reports as reports_domain
from core.storage.schema import buildings, report_events, reports

DEFAULT_PERIOD_DAYS = 90
PERIODS_DAYS = (30, 90, 365)
# The landlord's commitments: read a report within two days, settle it within a month.
ACKNOWLEDGE_WITHIN = timedelta(hours=48)
RESOLVE_WITHIN = timedelta(days=30)

# Fewer reports than this give a count but no median or percentile.
FEWEST_FOR_TIMES = 5

NOT_ACKNOWLEDGED = "not_acknowledged"
NOT_RESOLVED = "not_resolved"


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Return the percentile of the values by linear interpolation between closest ranks.

    The same rule as numpy's default and as a spreadsheet's PERCENTILE: the value at
    position (n - 1) × fraction of the sorted values. None when there is no value.
    """
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    below, above = math.floor(position), math.ceil(position)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _times(delays: list[float], fewest: int) -> dict[str, Any]:
    enough = len(delays) >= fewest
    return {
        "count": len(delays),
        "median": percentile(delays, 0.5) if enough else None,
        "p90": percentile(delays, 0.9) if enough else None,
    }


def _milestones(
    connection: Connection, building_ids: list[str], since: datetime
) -> list[dict[str, Any]]:
    """Return each report received since then with when it was acknowledged and resolved."""
    found: dict[str, dict[str, Any]] = {}
    for row in connection.execute(
        select(
            reports.c.id,
            reports.c.building_id,
            buildings.c.name.label("building_name"),
            reports.c.category,
            reports.c.created_at,
        )
        .join(buildings, buildings.c.id == reports.c.building_id)
        .where(reports.c.building_id.in_(building_ids), reports.c.created_at >= since)
    ).mappings():
        found[row["id"]] = {
            **row,
            "received_at": row["created_at"],
            "acknowledged_at": None,
            "resolved_at": None,
        }
    events = connection.execute(
        select(report_events.c.report_id, report_events.c.status, report_events.c.created_at)
        .join(reports, reports.c.id == report_events.c.report_id)
        .where(reports.c.building_id.in_(building_ids), reports.c.created_at >= since)
        .order_by(report_events.c.created_at)
    )
    for report_id, status, at in events:
        report = found[report_id]
        if status == rs.RECEIVED:
            report["received_at"] = min(report["received_at"], at)
            continue
        if report["acknowledged_at"] is None:
            report["acknowledged_at"] = at
        if status == rs.RESOLVED and report["resolved_at"] is None:
            report["resolved_at"] = at
    return list(found.values())


def _seconds(members: list[dict[str, Any]], milestone: str) -> list[float]:
    return [
        (report[milestone] - report["received_at"]).total_seconds()
        for report in members
        if report[milestone] is not None
    ]


def _grouped(
    milestones: list[dict[str, Any]], key: str, fewest: int, every: Sequence[Any] = ()
) -> dict[Any, dict[str, Any]]:
    """Return the times of the reports grouped by ``key`` (each of ``every`` too, even
    without a report)."""
    groups: dict[Any, list[dict[str, Any]]] = {value: [] for value in every}
    for report in milestones:
        groups.setdefault(report[key], []).append(report)
    return {
        value: {
            key: value,
            "received": len(members),
            "to_acknowledge": _times(_seconds(members, "acknowledged_at"), fewest),
            "to_resolve": _times(_seconds(members, "resolved_at"), fewest),
        }
        for value, members in groups.items()
    }


def _months(since: datetime, until: datetime) -> list[date]:
    """Return the first day of each month from ``since`` to ``until``."""
    month, last = since.date().replace(day=1), until.date().replace(day=1)
    found = []
    while month <= last:
        found.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return found


def overdue(connection: Connection, building_ids: list[str], now: datetime) -> list[dict[str, Any]]:
    """Return open reports past the landlord's commitments, oldest first.

    A report still waiting to be read is "not_acknowledged" even when it is also older
    than the time to resolve: reading it is what is late first.
    """
    late = []
    for row in connection.execute(
        select(
            reports.c.id,
            reports.c.number,
            reports_domain.reference_of(buildings.c.code, reports.c.number).label("reference"),
            reports.c.building_id,
            buildings.c.name.label("building_name"),
            reports.c.category,
            reports.c.status,
            reports.c.created_at,
        )
        .join(buildings, buildings.c.id == reports.c.building_id)
        .where(
            reports.c.building_id.in_(building_ids),
            reports.c.status.in_(rs.OPEN),
            reports.c.created_at < now - min(ACKNOWLEDGE_WITHIN, RESOLVE_WITHIN),
        )
        .order_by(reports.c.created_at)
    ).mappings():
        waited = now - row["created_at"]
        if row["status"] == rs.RECEIVED and waited > ACKNOWLEDGE_WITHIN:
            reason, due = NOT_ACKNOWLEDGED, row["created_at"] + ACKNOWLEDGE_WITHIN
        elif waited > RESOLVE_WITHIN:
            reason, due = NOT_RESOLVED, row["created_at"] + RESOLVE_WITHIN
        else:
            continue
        late.append({**row, "reason": reason, "due_at": due, "waited_s": waited.total_seconds()})
    return late


def summary(
    connection: Connection,
    building_ids: list[str],
    now: datetime,
    days: int = DEFAULT_PERIOD_DAYS,
    fewest: int = FEWEST_FOR_TIMES,
) -> dict[str, Any]:
    """Return response times over the last ``days`` and every overdue report.

    Times come per building (by name), per category (in the order of the report form)
    and per month of the period (each month, the first day of it), for reports of these
    buildings received in the period; a median or percentile only over ``fewest``
    reports or more.
    """
    since = now - timedelta(days=days)
    milestones = _milestones(connection, building_ids, since) if building_ids else []
    for report in milestones:
        report["month"] = report["received_at"].date().replace(day=1)
    by_building = _grouped(milestones, "building_id", fewest)
    for report in milestones:
        by_building[report["building_id"]]["building_name"] = report["building_name"]
    by_category = _grouped(milestones, "category", fewest)
    by_month = _grouped(milestones, "month", fewest, _months(since, now))
    return {
        "since": since,
        "until": now,
        "days": days,
        "fewest": fewest,
        "by_building": sorted(by_building.values(), key=lambda row: row["building_name"]),
        "by_category": [by_category[c] for c in reports_domain.CATEGORIES if c in by_category],
        "by_month": [by_month[month] for month in sorted(by_month)],
        "overdue": overdue(connection, building_ids, now) if building_ids else [],
    }
