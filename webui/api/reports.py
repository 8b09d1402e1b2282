"""Reports to the landlord from the tenant's side: file with photos, follow, answer, "me too"."""

from __future__ import annotations

from flask import g, url_for

from core.domain import outbox, reports
from webui import draft_photos
from webui.api import blueprint
from webui.api.fields import Body, Text, choice, photo_files
from webui.api.report_shapes import (
    MessageRequest,
    Report,
    ReportDetail,
    ReportLists,
    photos,
    timeline_entry,
)
from webui.api.spec import Response, spec
from webui.auth import tenant_required
from webui.database import db


class NewReport(Body):
    """A report, as a multipart form with up to three photos."""

    category: Text = choice(reports.CATEGORIES)
    location: Text = choice(reports.LOCATIONS)
    description: Text
    photos: photo_files(reports.MAX_PHOTOS) = None


def _detail(report_id: str) -> ReportDetail:
    found = reports.get_for_tenant(db(), g.profile, report_id)
    delivered = not outbox.not_delivered(db(), [report_id])
    return ReportDetail(
        **Report.fields(found, own=found["own"], supported=found["supported"], delivered=delivered),
        photos=photos(reports.photo_ids(db(), report_id)),
        timeline=[
            timeline_entry(entry, for_staff=False)
            for entry in reports.timeline(db(), report_id, with_messages=found["own"])
        ],
    )


@blueprint.get("/reports")
@tenant_required
@spec.validate(resp=Response(HTTP_200=ReportLists), tags=["reports"])
def report_list():
    """My household's reports, and apart from them the neighbours' open common-area ones."""
    mine = reports.for_household(db(), g.profile["dwelling_id"])
    neighbours = reports.open_in_common_areas(
        db(), g.profile["building_id"], g.profile["dwelling_id"]
    )
    waiting = outbox.not_delivered(db(), [r["id"] for r in mine + neighbours])
    return ReportLists(
        mine=[
            Report.of(r, own=True, supported=False, delivered=r["id"] not in waiting) for r in mine
        ],
        neighbours=[
            Report.of(r, own=False, supported=r["supported"], delivered=r["id"] not in waiting)
            for r in neighbours
        ],
    )


@blueprint.post("/reports")
@tenant_required
@spec.validate(resp=Response(HTTP_201=ReportDetail), tags=["reports"])
def file_report(form: NewReport):
    """File a report with up to three photos, sent as a multipart form."""
    # A refused report leaves nothing behind: its photos are rolled back with it.
    photo_ids = draft_photos.received([], reports.MAX_PHOTOS)
    report_id = reports.file(
        db(), g.profile, form.category, form.location, form.description, photo_ids
    )
    draft_photos.sent(photo_ids)
    where = url_for("api.report_detail", report_id=report_id)
    return _detail(report_id), 201, {"Location": where}


@blueprint.get("/reports/<report_id>")
@tenant_required
@spec.validate(resp=Response(HTTP_200=ReportDetail), tags=["reports"])
def report_detail(report_id: str):
    """A report with its photos and its timeline (messages only for one's own reports)."""
    return _detail(report_id)


@blueprint.post("/reports/<report_id>/messages")
@tenant_required
@spec.validate(resp=Response(HTTP_200=ReportDetail), tags=["reports"])
def report_message(report_id: str, json: MessageRequest):
    """Write to the landlord about one of my household's reports."""
    reports.add_tenant_message(db(), g.profile, report_id, json.body)
    return _detail(report_id)


@blueprint.post("/reports/<report_id>/me-too")
@tenant_required
@spec.validate(
    resp=Response(
        HTTP_200=ReportDetail,
        HTTP_422=(None, "The report is the household's own, or closed."),
    ),
    tags=["reports"],
)
def me_too(report_id: str):
    """Say my household has the same problem as a neighbour's report; saying it twice is fine."""
    reports.me_too(db(), g.profile, report_id)
    return _detail(report_id)
