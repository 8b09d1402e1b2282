"""Reports to the landlord from the tenant's side: file with photos, follow, answer, "me too"."""

from __future__ import annotations

from flask import g, jsonify, request

from appliance.domain import reports
from webui import draft_photos
from webui.api import blueprint, created, serialise
from webui.api.body import json_object, require_multipart, text
from webui.auth import tenant_required
from webui.database import db
from webui.portal.reports import FIELDS, not_sent_yet


def _detail(report_id: str):
    found = reports.get_for_tenant(db(), g.profile, report_id)
    delivered = not not_sent_yet([report_id])
    return jsonify(
        serialise.report_detail(
            serialise.report(
                found, own=found["own"], supported=found["supported"], delivered=delivered
            ),
            reports.photo_ids(db(), report_id),
            reports.timeline(db(), report_id, with_messages=found["own"]),
        )
    )


@blueprint.get("/reports")
@tenant_required
def report_list():
    """My household's reports, and apart from them the neighbours' open common-area ones."""
    mine = reports.for_household(db(), g.profile["dwelling_id"])
    neighbours = reports.open_in_common_areas(
        db(), g.profile["building_id"], g.profile["dwelling_id"]
    )
    waiting = not_sent_yet([r["id"] for r in mine + neighbours])
    return jsonify(
        mine=[
            serialise.report(r, own=True, supported=False, delivered=r["id"] not in waiting)
            for r in mine
        ],
        neighbours=[
            serialise.report(
                r, own=False, supported=r["supported"], delivered=r["id"] not in waiting
            )
            for r in neighbours
        ],
    )


@blueprint.post("/reports")
@tenant_required
def file_report():
    """File a report with up to three photos, sent as a multipart form."""
    require_multipart()
    values = {name: request.form.get(name, "") for name in FIELDS}
    # A refused report leaves nothing behind: its photos are rolled back with it.
    photo_ids = draft_photos.received([], reports.MAX_PHOTOS)
    report_id = reports.file(
        db(),
        g.profile,
        values["category"],
        values["location"],
        values["description"],
        photo_ids,
    )
    draft_photos.sent(photo_ids)
    return created(_detail(report_id), "api.report_detail", report_id=report_id)


@blueprint.get("/reports/<report_id>")
@tenant_required
def report_detail(report_id: str):
    """A report with its photos and its timeline (messages only for one's own reports)."""
    return _detail(report_id)


@blueprint.post("/reports/<report_id>/messages")
@tenant_required
def report_message(report_id: str):
    """Write to the landlord about one of my household's reports."""
    reports.add_tenant_message(db(), g.profile, report_id, text(json_object(), "body"))
    return _detail(report_id)


@blueprint.post("/reports/<report_id>/me-too")
@tenant_required
def me_too(report_id: str):
    """Say my household has the same problem as a neighbour's report; saying it twice is fine."""
    reports.me_too(db(), g.profile, report_id)
    return _detail(report_id)
