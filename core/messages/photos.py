"""``photo.added``: a photo sent before what shows it (a report, a post, news, a works
notice, a deal), whichever way it goes."""

from __future__ import annotations

from sqlalchemy import Connection, select

from core.messages.fields import Id, Integer, Jpeg
from core.messages.outgoing import Body
from core.storage.schema import photos


class PhotoAdded(Body):
    """A photo as it is kept: re-encoded, at most 1.5 MiB (``photos.MAX_KEPT_BYTES``)."""

    KIND = "photo.added"
    photo_id: Id
    jpeg: Jpeg
    width: Integer()
    height: Integer()


def photo_added(connection: Connection, photo_id: str) -> PhotoAdded:
    """Return the message that carries a stored photo."""
    row = connection.execute(select(photos).where(photos.c.id == photo_id)).mappings().one()
    return PhotoAdded(
        photo_id=row["id"], jpeg=row["jpeg"], width=row["width"], height=row["height"]
    )
