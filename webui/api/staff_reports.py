"""Reports on the staff side: list and filter, read, move the status, answer the household.

Staff see only the reports of their buildings; anything else is answered as not found.
"""

from __future__ import annotations

from flask import g, jsonify, request

from appliance.domain import report_status as rs
from appliance.domain import reports, roles
from appliance.domain.errors import N_, DomainError
from webui.api import blueprint, serialise
from webui.api.body import json_object, optional_date, optional_text, query_choice, text
from webui.auth import staff_required
from webui.database import db
from webui.portal.reports import not_sent_yet
from webui.staff.reach import my_building, my_report


def _detail(report_id: str):
    found = my_report(report_id)
    return jsonify(
        serialise.report_detail(
            serialise.staff_report(found, delivered=not not_sent_yet([report_id])),
            reports.photo_ids(db(), report_id),
            reports.timeline(db(), report_id),
            for_staff=True,
        )
    )


def _number_of_original(report_id: str | None) -> int | None:
    """Return the number of the report this one repeats, as the domain expects it."""
    if report_id is None:
        return None
    number = reports.number_of(db(), report_id)
    if number is None:
        raise DomainError(
            "duplicate_unknown", N_("This is not another report of this building."), "duplicate_of"
        )
    return number


@blueprint.get("/staff/reports")
@staff_required(roles.VIEW_REPORTS)
def staff_report_list():
    """Reports of my buildings, filtered, oldest first, a page at a time."""
    building = request.args.get("building", "")
    if building:
        my_building(building)
    chosen = reports.AgentFilter(
        [building] if building else g.staff["building_ids"],
        status=query_choice("status", ("open", *rs.STATUSES)),
        category=query_choice("category", reports.CATEGORIES),
        age=query_choice("age", reports.AGES),
    )
    page = reports.for_agent(db(), chosen, after=request.args.get("after") or None)
    waiting = not_sent_yet([r["id"] for r in page.items])
    return jsonify(
        reports=[serialise.staff_report(r, delivered=r["id"] not in waiting) for r in page.items],
        total=reports.count_for_agent(db(), chosen),
        newer=page.rest,
    )


@blueprint.get("/staff/reports/<report_id>")
@staff_required(roles.VIEW_REPORTS)
def staff_report_detail(report_id: str):
    """One report of my buildings with photos, every message and who did what."""
    return _detail(report_id)


@blueprint.post("/staff/reports/<report_id>/status")
@staff_required(roles.HANDLE_REPORTS)
def move_report(report_id: str):
    """Move a report to a new status, with a message the household will read."""
    body = json_object()
    target = text(body, "status")
    message = text(body, "message")
    # Like the pages, a date or an original counts only for the status that uses it.
    scheduled_for = optional_date(body, "scheduled_for") if target == rs.SCHEDULED else None
    my_report(report_id)
    duplicate_of = (
        _number_of_original(optional_text(body, "duplicate_of")) if target == rs.DUPLICATE else None
    )
    reports.move(
        db(),
        g.staff,
        report_id,
        target,
        message,
        scheduled_for=scheduled_for,
        duplicate_of_number=duplicate_of,
    )
    return _detail(report_id)


@blueprint.post("/staff/reports/<report_id>/messages")
@staff_required(roles.HANDLE_REPORTS)
def answer_report(report_id: str):
    """Write to the household without changing the status."""
    body = text(json_object(), "body")
    my_report(report_id)
    reports.reply(db(), g.staff, report_id, body)
    return _detail(report_id)
