"""Reports on the staff side: list and filter, read, move the status, answer the household.

Staff see only the reports of their buildings; anything else is answered as not found.
"""

from __future__ import annotations

from flask import g
from pydantic import Field

from core.domain import outbox, reports, roles, staff_buildings
from core.domain import report_status as rs
from webui.api import blueprint
from webui.api.fields import Body, Day, Filter, Filters, OptionalText, Text, choice
from webui.api.report_shapes import (
    MessageRequest,
    ReportHousehold,
    StaffReport,
    StaffReportDetail,
    StaffReportList,
    photos,
    timeline_entry,
)
from webui.api.spec import Response, spec
from webui.auth import staff_required
from webui.database import db


class ReportFilters(Filters):
    """Which reports of my buildings, and from where in the list."""

    building: OptionalText = Field(None, description="Only this building (one of the person's).")
    status: Filter(("open", *rs.STATUSES)) = Field(
        None, description="This status, or every open one."
    )
    category: Filter(reports.CATEGORIES) = Field(None, description="This kind of problem.")
    age: Filter(reports.AGES) = Field(
        None, description="Filed today, this week, over a week or a month ago."
    )
    reference: OptionalText = Field(
        None, description='The reference people quote ("BA-12", "ba 12"), or the number alone.'
    )
    after: OptionalText = Field(
        None, description="Start after this place: the `newer` of the page before."
    )


class StatusChange(Body):
    """A move to a new status."""

    status: Text = choice(rs.STATUSES)
    message: Text = Field("", description="Required for not_responsible and duplicate.")
    scheduled_for: Day = Field(None, description="Required for scheduled; not in the past.")
    duplicate_of: OptionalText = Field(
        None, description="Id of the first report, required for duplicate."
    )


def _detail(report_id: str) -> StaffReportDetail:
    found = staff_buildings.report(db(), g.staff, report_id)
    household = staff_buildings.report_household(db(), g.staff, report_id)
    return StaffReportDetail(
        **StaffReport.staff_fields(found, delivered=not outbox.not_delivered(db(), [report_id])),
        household=ReportHousehold.of(household) if household else None,
        photos=photos(reports.photo_ids(db(), report_id)),
        timeline=[
            timeline_entry(entry, for_staff=True) for entry in reports.timeline(db(), report_id)
        ],
    )


@blueprint.get("/staff/reports")
@staff_required(roles.VIEW_REPORTS)
@spec.validate(resp=Response(HTTP_200=StaffReportList, HTTP_404=None), tags=["staff"])
def staff_report_list(query: ReportFilters):
    """Reports of my buildings, filtered, oldest first, a page at a time."""
    if query.building:
        staff_buildings.building(db(), g.staff, query.building)
    chosen = reports.AgentFilter(
        [query.building] if query.building else g.staff["building_ids"],
        status=query.status,
        category=query.category,
        age=query.age,
        reference=query.reference or None,
    )
    page = reports.for_agent(db(), chosen, after=query.after or None)
    waiting = outbox.not_delivered(db(), [r["id"] for r in page.items])
    return StaffReportList(
        reports=[StaffReport.of_staff(r, delivered=r["id"] not in waiting) for r in page.items],
        total=reports.count_for_agent(db(), chosen),
        newer=page.rest,
    )


@blueprint.get("/staff/reports/<report_id>")
@staff_required(roles.VIEW_REPORTS)
@spec.validate(resp=Response(HTTP_200=StaffReportDetail), tags=["staff"])
def staff_report_detail(report_id: str):
    """One report of my buildings with photos, every message and who did what."""
    return _detail(report_id)


@blueprint.post("/staff/reports/<report_id>/status")
@staff_required(roles.HANDLE_REPORTS)
@spec.validate(resp=Response(HTTP_200=StaffReportDetail), tags=["staff"])
def move_report(report_id: str, json: StatusChange):
    """Move a report to a new status, with a message the household will read."""
    target = json.status
    # Like the pages, a date or an original counts only for the status that uses it.
    scheduled_for = json.scheduled_for if target == rs.SCHEDULED else None
    staff_buildings.report(db(), g.staff, report_id)
    reports.move(
        db(),
        g.staff,
        report_id,
        target,
        json.message,
        scheduled_for=scheduled_for,
        duplicate_of=json.duplicate_of if target == rs.DUPLICATE else None,
    )
    return _detail(report_id)


@blueprint.post("/staff/reports/<report_id>/messages")
@staff_required(roles.HANDLE_REPORTS)
@spec.validate(resp=Response(HTTP_200=StaffReportDetail), tags=["staff"])
def answer_report(report_id: str, json: MessageRequest):
    """Write to the household without changing the status."""
    staff_buildings.report(db(), g.staff, report_id)
    reports.reply(db(), g.staff, report_id, json.body)
    return _detail(report_id)
