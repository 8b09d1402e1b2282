"""Who may see a stored photo, and the answer that sends it: one rule for portal and staff."""

from __future__ import annotations

from flask import Response, g, session
from sqlalchemy import select

from core.domain import photos, reports
from core.domain.errors import N_, NotFound
from core.storage.schema import deals, news, report_photos, works_notices
from webui.database import db


def shown_to_all_signed_in(photo_id: str) -> bool:
    """A picture of news or works, or one this session sent for a draft not yet published."""
    if photo_id in session.get("draft_photos", []):
        return True
    return any(
        db().execute(select(table.c.id).where(table.c.photo_id == photo_id)).first()
        for table in (news, works_notices, deals)
    )


def reports_with(photo_id: str) -> list[str]:
    """Return the reports the photo belongs to."""
    return list(
        db()
        .execute(select(report_photos.c.report_id).where(report_photos.c.photo_id == photo_id))
        .scalars()
    )


def staff_may_see(photo_id: str) -> bool:
    """Staff see the photos of reports of their buildings."""
    return any(
        reports.get(db(), report_id)["building_id"] in g.staff["building_ids"]
        for report_id in reports_with(photo_id)
    )


def send(photo_id: str, allowed: bool) -> Response:
    """Answer with the photo, or "not found" when it is not there or not for this person."""
    stored = photos.load(db(), photo_id) if allowed else None
    if stored is None:
        raise NotFound("photo_not_found", N_("This photo does not exist."))
    response = Response(stored["jpeg"], mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, max-age=86400, immutable"
    return response
