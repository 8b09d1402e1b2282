"""A picture sent in a multipart form to the API, kept re-encoded like every photo."""

from __future__ import annotations

from flask import current_app, request

from core.domain import photos
from webui.database import db


def picture(name: str = "photo") -> str | None:
    """Keep the picture of a multipart form's field, re-encoded; return its id, or None."""
    upload = request.files.get(name)
    if not upload or not upload.filename:
        return None
    config = current_app.config["RESIDACOEUR"]
    encoded = photos.reencode(
        upload.read(config["max_photo_bytes"] + 1),
        config["photo_max_side"],
        config["max_photo_bytes"],
    )
    return photos.store(db(), *encoded)
