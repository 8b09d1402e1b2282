"""Photos for staff, at the hub as on a box: those of reports of their buildings and of news.

The hub has no tenant portal to serve them; the staff pages and the staff side of the API
link here.
"""

from __future__ import annotations

from webui import photo_access
from webui.auth import staff_required
from webui.staff import blueprint


@blueprint.get("/photos/<photo_id>.jpg")
@staff_required()
def photo(photo_id: str):
    """Send a stored photo: a news picture, a draft of this session, a report's of my buildings."""
    allowed = photo_access.shown_to_all_signed_in(photo_id) or photo_access.staff_may_see(photo_id)
    return photo_access.send(photo_id, allowed)
