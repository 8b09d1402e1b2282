"""Reports of my buildings for the landlord's agents: find, read, answer, move the status.

Caretakers see the same pages read-only; every action is written to the audit log. On a
box linked to a hub, reports are answered in the hub's console: the box's pages become a
read-only mirror of what the hub sends back.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.domain import people, reports, roles, side, staff_buildings
from core.domain import report_status as rs
from core.domain.clock import utcnow
from core.domain.errors import N_, DomainError
from webui.auth import staff_required
from webui.database import db
from webui.form_dates import parse_date
from webui.forms import refuse, typed
from webui.i18n import translate
from webui.staff import blueprint

AGE_LABELS = {
    "today": N_("Less than a day old"),
    "week": N_("Less than a week old"),
    "over_week": N_("More than a week old"),
    "over_month": N_("More than a month old"),
}
MOVE_FIELDS = ("status", "scheduled_for", "duplicate_of", "message")
# Longer than any reference ("BA2-123456"), with room for spaces typed around it.
REFERENCE_LENGTH = 24


def _filters() -> dict[str, str]:
    """Return the filters asked for, keeping only values that mean something."""
    asked = {name: request.args.get(name, "") for name in ("building", "status", "category", "age")}
    if asked["building"] not in g.staff["building_ids"]:
        asked["building"] = ""
    if asked["status"] not in (*rs.STATUSES, "open"):
        asked["status"] = ""
    if asked["category"] not in reports.CATEGORIES:
        asked["category"] = ""
    if asked["age"] not in reports.AGES:
        asked["age"] = ""
    asked["reference"] = request.args.get("reference", "").strip()[:REFERENCE_LENGTH]
    return asked


def _with_excerpts(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**report, "excerpt": reports.excerpt(report["description"])} for report in found]


@blueprint.get("/reports")
@staff_required(roles.VIEW_REPORTS)
def report_list():
    """Reports of my buildings, filtered by building, status, category, age and
    reference, oldest first, a page at a time."""
    filters = _filters()
    chosen = reports.AgentFilter(
        [filters["building"]] if filters["building"] else g.staff["building_ids"],
        status=filters["status"] or None,
        category=filters["category"] or None,
        age=filters["age"] or None,
        reference=filters["reference"] or None,
    )
    after = request.args.get("after") or None
    page = reports.for_agent(db(), chosen, after=after)
    return render_template(
        "staff/reports.html",
        page=page,
        rows=_with_excerpts(page.items),
        total=reports.count_for_agent(db(), chosen),
        first_page=after is None,
        filters=filters,
        buildings=staff_buildings.buildings(db(), g.staff),
        age_labels=AGE_LABELS,
        statuses=rs.STATUSES,
        now=utcnow(),
    )


def _page_context(report_id: str) -> dict[str, Any]:
    report = staff_buildings.report(db(), g.staff, report_id)
    timeline = reports.timeline(db(), report_id)
    for entry in timeline:
        if entry.get("duplicate_of"):
            entry["duplicate_reference"] = reports.reference_of_report(db(), entry["duplicate_of"])
    answered_at_hub = side.is_linked_box(db())
    next_statuses = rs.next_statuses(report["status"])
    may_handle = roles.may(g.staff["role"], roles.HANDLE_REPORTS) and not answered_at_hub
    candidates = (
        reports.duplicate_candidates(db(), report)
        if may_handle and rs.DUPLICATE in next_statuses
        else []
    )
    return {
        "report": report,
        "household": staff_buildings.report_household(db(), g.staff, report_id),
        "locale_labels": people.LOCALE_LABELS,
        "photo_ids": reports.photo_ids(db(), report_id),
        "timeline": timeline,
        "next_statuses": next_statuses,
        "candidates": _with_excerpts(candidates),
        "answered_at_hub": answered_at_hub,
        "may_handle": may_handle,
    }


@blueprint.get("/reports/<report_id>")
@staff_required(roles.VIEW_REPORTS)
def report_detail(report_id: str):
    """One report: description, photos, timeline, and the agent's forms."""
    return render_template("staff/report.html", values={}, errors={}, **_page_context(report_id))


@blueprint.post("/reports/<report_id>/status")
@staff_required(roles.HANDLE_REPORTS)
def move_report(report_id: str):
    """Move the report to its next status, with a message for the household."""
    values = typed(*MOVE_FIELDS)
    staff_buildings.report(db(), g.staff, report_id)
    target = values["status"]
    try:
        if not target:
            raise DomainError("status_missing", N_("Choose the new status."), "status")
        scheduled_for = (
            parse_date(values["scheduled_for"], "scheduled_for") if target == rs.SCHEDULED else None
        )
        reports.move(
            db(),
            g.staff,
            report_id,
            target,
            message=values["message"],
            scheduled_for=scheduled_for,
            duplicate_of=values["duplicate_of"] if target == rs.DUPLICATE else None,
        )
    except DomainError as error:
        return refuse("staff/report.html", error, values, **_page_context(report_id))
    flash(_("The report is now: %(status)s.", status=translate(rs.LABELS[target])), "success")
    return redirect(url_for("staff.report_detail", report_id=report_id, _anchor="timeline"))


@blueprint.post("/reports/<report_id>/messages")
@staff_required(roles.HANDLE_REPORTS)
def reply_to_report(report_id: str):
    """Write to the household without changing the status."""
    values = typed("body")
    staff_buildings.report(db(), g.staff, report_id)
    try:
        reports.reply(db(), g.staff, report_id, values["body"])
    except DomainError as error:
        return refuse("staff/report.html", error, values, **_page_context(report_id))
    flash(_("Your message was sent to the household."), "success")
    return redirect(url_for("staff.report_detail", report_id=report_id, _anchor="timeline"))
