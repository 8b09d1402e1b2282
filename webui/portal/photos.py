"""Photos are served only to people allowed to see what they belong to."""

from __future__ import annotations

from flask import g

from core.domain import noticeboard, reports
from core.domain.errors import NotFound
from webui import photo_access
from webui.database import db
from webui.portal import blueprint


def _allowed(photo_id: str) -> bool:
    if g.profile is None and g.staff is None:
        return False
    if photo_access.shown_to_all_signed_in(photo_id):
        return True
    if g.staff is not None:
        return photo_access.staff_may_see(photo_id)
    if noticeboard.shows_photo(db(), g.profile, photo_id):
        return True
    for report_id in photo_access.reports_with(photo_id):
        try:
            reports.get_for_tenant(db(), g.profile, report_id)
        except NotFound:
            continue
        return True
    return False


@blueprint.get("/photos/<photo_id>.jpg")
def photo(photo_id: str):
    """Send a stored photo."""
    return photo_access.send(photo_id, _allowed(photo_id))
