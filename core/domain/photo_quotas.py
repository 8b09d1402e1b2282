"""How many photos of forms not yet sent one session and one household may keep.

A photo is stored as soon as it arrives, so that a form refused for a missing word shows
it again (webui/draft_photos.py); until the form is sent it is a draft, forgotten after
``photos.DRAFTS_KEPT``. Without a cap, one session refusing its own forms on purpose
stored 120 photos, 112 MB, in 12 seconds. Past a cap the oldest drafts go first: the
newest belong to the form being written, and those of the form being sent never go.
A session's cap is dodged by signing in again on new devices; a household's is not.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import NamedTuple

from sqlalchemy import ColumnElement, Connection, delete, func, select

from core.domain import photos
from core.storage.schema import photos as photo_rows

# Two report forms' worth (three photos each), or a report, a post and a notice.
SESSION_PHOTOS = 6
# Six phone photos as the box keeps them (300 KB to 1 MB each); only photos full of fine
# detail, up to photos.MAX_KEPT_BYTES each, meet this cap before the count.
SESSION_BYTES = 6 * 1024 * 1024
# A household is several people, each on a device or two with a form under way. A staff
# member counts as a household of one.
HOUSEHOLD_PHOTOS = 20
HOUSEHOLD_BYTES = 20 * 1024 * 1024


class Draft(NamedTuple):
    id: str
    size: int


def _drafts(connection: Connection, chosen: ColumnElement[bool]) -> list[Draft]:
    rows = connection.execute(
        select(photo_rows.c.id, func.length(photo_rows.c.jpeg))
        .where(chosen, photos.unused())
        .order_by(photo_rows.c.created_at, photo_rows.c.id)
    )
    return [Draft(*row) for row in rows]


def _past_cap(
    drafts: Sequence[Draft], most: int, most_bytes: int, keep: Collection[str]
) -> set[str]:
    """Return the oldest drafts to drop so that the rest fit both caps; never those kept."""
    count, size = len(drafts), sum(d.size for d in drafts)
    dropped = set()
    for draft in drafts:
        if count <= most and size <= most_bytes:
            break
        if draft.id not in keep:
            dropped.add(draft.id)
            count, size = count - 1, size - draft.size
    return dropped


def within_quotas(
    connection: Connection, session_drafts: Sequence[str], owner: str, keep: Collection[str]
) -> list[str]:
    """Forget the oldest drafts past the session's and the owner's caps.

    ``session_drafts`` are the photo ids the session remembers, ``owner`` the household
    (dwelling id) or staff member who sent them, ``keep`` the photos of the form being
    sent. Returns the session's drafts still kept, oldest first.
    """
    mine = _drafts(connection, photo_rows.c.id.in_(session_drafts))
    dropped = _past_cap(mine, SESSION_PHOTOS, SESSION_BYTES, keep)
    household = [
        d for d in _drafts(connection, photo_rows.c.draft_of == owner) if d.id not in dropped
    ]
    dropped |= _past_cap(household, HOUSEHOLD_PHOTOS, HOUSEHOLD_BYTES, keep)
    if dropped:
        connection.execute(delete(photo_rows).where(photo_rows.c.id.in_(dropped), photos.unused()))
    return [d.id for d in mine if d.id not in dropped]


def still_kept(connection: Connection, photo_ids: Sequence[str]) -> list[str]:
    """Return those of these drafts that are still stored, in the same order."""
    if not photo_ids:
        return []
    found = set(
        connection.execute(
            select(photo_rows.c.id).where(photo_rows.c.id.in_(photo_ids), photos.unused())
        ).scalars()
    )
    return [photo_id for photo_id in photo_ids if photo_id in found]
