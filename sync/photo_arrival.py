"""A photo arriving from the other side of the link, kept once, whichever side it reaches."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from core.domain.clock import utcnow
from core.storage.schema import photos
from sync import values


def keep(connection: Connection, body: dict[str, Any]) -> None:
    """Store the photo a ``photo.added`` message carries, unless it is already here."""
    photo_id = values.text(body, "photo_id", 32)
    if connection.execute(select(photos.c.id).where(photos.c.id == photo_id)).first():
        return
    connection.execute(
        photos.insert().values(
            id=photo_id,
            jpeg=values.jpeg(body, "jpeg"),
            width=values.integer(body, "width"),
            height=values.integer(body, "height"),
            created_at=utcnow(),
        )
    )
