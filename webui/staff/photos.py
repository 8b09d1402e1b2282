"""Photos for staff, at the hub as on a box: those of reports of their buildings and of news.

The hub has no tenant portal to serve them; the staff pages and the staff side of the API
link here.
"""

from __future__ import annotations

from flask import Response, g, session
from sqlalchemy import select

from appliance.domain import photos, reports
from appliance.domain.errors import N_, NotFound
from appliance.storage.schema import news, report_photos
from webui.auth import staff_required
from webui.database import db
from webui.staff import blueprint


def _allowed(photo_id: str) -> bool:
    # A picture chosen for news not yet published is shown only to the session that sent it.
    if photo_id in session.get("draft_photos", []):
        return True
    if db().execute(select(news.c.id).where(news.c.photo_id == photo_id)).first():
        return True
    report_ids = (
        db()
        .execute(select(report_photos.c.report_id).where(report_photos.c.photo_id == photo_id))
        .scalars()
    )
    return any(
        reports.get(db(), report_id)["building_id"] in g.staff["building_ids"]
        for report_id in report_ids
    )


@blueprint.get("/photos/<photo_id>.jpg")
@staff_required()
def photo(photo_id: str):
    """Send a stored photo."""
    stored = photos.load(db(), photo_id) if _allowed(photo_id) else None
    if stored is None:
        raise NotFound("photo_not_found", N_("This photo does not exist."))
    response = Response(stored["jpeg"], mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, max-age=86400, immutable"
    return response
