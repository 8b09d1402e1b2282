"""Photos are served only to people allowed to see what they belong to."""

from __future__ import annotations

from flask import Response, g, session
from sqlalchemy import select

from appliance.domain import photos, reports
from appliance.domain.errors import N_, NotFound
from appliance.storage.schema import news, report_photos
from webui.database import db
from webui.portal import blueprint


def _allowed(photo_id: str) -> bool:
    if g.profile is None and g.staff is None:
        return False
    if photo_id in session.get("draft_photos", []):
        return True
    if db().execute(select(news.c.id).where(news.c.photo_id == photo_id)).first():
        return True
    report_id = (
        db()
        .execute(select(report_photos.c.report_id).where(report_photos.c.photo_id == photo_id))
        .scalar()
    )
    if report_id is None:
        return False
    if g.staff is not None:
        return reports.get(db(), report_id)["building_id"] in g.staff["building_ids"]
    try:
        reports.get_for_tenant(db(), g.profile, report_id)
    except NotFound:
        return False
    return True


@blueprint.get("/photos/<photo_id>.jpg")
def photo(photo_id: str):
    """Send a stored photo."""
    stored = photos.load(db(), photo_id) if _allowed(photo_id) else None
    if stored is None:
        raise NotFound("photo_not_found", N_("This photo does not exist."))
    response = Response(stored["jpeg"], mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, max-age=86400, immutable"
    return response
