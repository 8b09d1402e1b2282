"""Response times of my buildings for landlord agents, and the reports overdue."""

from __future__ import annotations

from typing import Annotated, Any

from flask import g
from pydantic import Field

from core.domain import report_status as rs
from core.domain import reports, response_times, roles
from core.domain.clock import utcnow
from webui.api import blueprint
from webui.api.fields import Answer, Count, Date, Filter, Filters, Id, Instant
from webui.api.shared_shapes import BuildingRef, building_of
from webui.api.spec import Response, spec
from webui.auth import staff_required
from webui.database import db
from webui.i18n import translate

Seconds = Annotated[float, Field(ge=0, description="Seconds.")]
Received = Annotated[int, Field(ge=0, description="Reports received in the period.")]
_CATEGORY = Field(json_schema_extra={"enum": list(reports.CATEGORIES)})
_PERIODS = [str(days) for days in response_times.PERIODS_DAYS]


class ReportDelays(Answer):
    """How long reports took, among those that got there."""

    count: Count = Field(description="Reports that got there: what the figures rest on.")
    median_s: Seconds | None = Field(
        description="Half took less. Null over fewer reports than fewest_for_times."
    )
    p90_s: Seconds | None = Field(
        description="Nine in ten took less (90th percentile). Null as the median."
    )

    @classmethod
    def of(cls, times: dict[str, Any]) -> ReportDelays:
        return cls(count=times["count"], median_s=times["median"], p90_s=times["p90"])


_ACKNOWLEDGE = Field(description="From the report to the first change of status.")
_RESOLVE = Field(description='From the report to its first "resolved".')


def _delays(row: dict[str, Any]) -> dict[str, Any]:
    """The fields every group of reports has: how many came, how long they took."""
    return {
        "received": row["received"],
        "to_acknowledge": ReportDelays.of(row["to_acknowledge"]),
        "to_resolve": ReportDelays.of(row["to_resolve"]),
    }


class BuildingTimes(Answer):
    """Times for one building."""

    building: BuildingRef
    received: Received
    to_acknowledge: ReportDelays = _ACKNOWLEDGE
    to_resolve: ReportDelays = _RESOLVE


class CategoryTimes(Answer):
    """Times for one kind of problem."""

    category: str = _CATEGORY
    category_label: str
    received: Received
    to_acknowledge: ReportDelays = _ACKNOWLEDGE
    to_resolve: ReportDelays = _RESOLVE


class MonthTimes(Answer):
    """Times for the reports received in one month of the period."""

    month: Date = Field(description="Its first day.")
    received: Received
    to_acknowledge: ReportDelays = _ACKNOWLEDGE
    to_resolve: ReportDelays = _RESOLVE


class OverdueReport(Answer):
    """An open report past the landlord's commitments, oldest first."""

    id: Id
    number: int
    reference: str = Field(description="What people quote: the building's code and the number.")
    building: BuildingRef
    category: str = _CATEGORY
    category_label: str
    status: str = Field(json_schema_extra={"enum": [s for s in rs.STATUSES if s in rs.OPEN]})
    status_label: str
    reason: str = Field(
        json_schema_extra={"enum": [response_times.NOT_ACKNOWLEDGED, response_times.NOT_RESOLVED]}
    )
    received_at: Instant
    due_at: Instant

    @classmethod
    def of(cls, late: dict[str, Any]) -> OverdueReport:
        return cls(
            id=late["id"],
            number=late["number"],
            reference=late["reference"],
            building=building_of(late),
            category=late["category"],
            category_label=translate(reports.CATEGORIES[late["category"]]),
            status=late["status"],
            status_label=translate(rs.LABELS[late["status"]]),
            reason=late["reason"],
            received_at=late["created_at"],
            due_at=late["due_at"],
        )


class ResponseTimes(Answer):
    """Response times for reports of the staff member's buildings received in the period,
    and every open report overdue, whenever received."""

    since: Instant
    until: Instant
    days: int = Field(json_schema_extra={"enum": list(response_times.PERIODS_DAYS)})
    acknowledge_within_s: Count = Field(description="Overdue when not acknowledged by then.")
    resolve_within_s: Count = Field(description="Overdue when not resolved by then.")
    fewest_for_times: Count = Field(description="Fewer reports give no median or percentile.")
    by_building: list[BuildingTimes]
    by_category: list[CategoryTimes]
    by_month: list[MonthTimes] = Field(description="Each month of the period, oldest first.")
    overdue: list[OverdueReport]

    @classmethod
    def of(cls, found: dict[str, Any]) -> ResponseTimes:
        """Times per building and per category, with labels translated, and what is late."""
        return cls(
            since=found["since"],
            until=found["until"],
            days=found["days"],
            acknowledge_within_s=int(response_times.ACKNOWLEDGE_WITHIN.total_seconds()),
            resolve_within_s=int(response_times.RESOLVE_WITHIN.total_seconds()),
            fewest_for_times=found["fewest"],
            by_building=[
                BuildingTimes(building=building_of(row), **_delays(row))
                for row in found["by_building"]
            ],
            by_category=[
                CategoryTimes(
                    category=row["category"],
                    category_label=translate(reports.CATEGORIES[row["category"]]),
                    **_delays(row),
                )
                for row in found["by_category"]
            ],
            by_month=[MonthTimes(month=row["month"], **_delays(row)) for row in found["by_month"]],
            overdue=[OverdueReport.of(late) for late in found["overdue"]],
        )


class TimesPeriod(Filters):
    """Which reports to count."""

    days: Filter(_PERIODS) = Field(
        None,
        description="Reports received in the last so many days "
        f"({response_times.DEFAULT_PERIOD_DAYS} when not given).",
    )


@blueprint.get("/response-times")
@staff_required(roles.VIEW_RESPONSE_TIMES)
@spec.validate(resp=Response(HTTP_200=ResponseTimes), tags=["staff"])
def response_times_summary(query: TimesPeriod):
    """Median and 90th percentile times per building, per category and per month, and
    what is overdue."""
    days = int(query.days) if query.days else response_times.DEFAULT_PERIOD_DAYS
    found = response_times.summary(db(), g.staff["building_ids"], utcnow(), days)
    return ResponseTimes.of(found)
