"""Photos of a form being written: received once, kept if the form comes back refused.

Each photo is re-encoded and stored as soon as it arrives; its id is remembered in the
session, which alone may see it until what it belongs to is sent. How many drafts a
session and a household keep is capped (``core.domain.photo_quotas``).
"""

from __future__ import annotations

from flask import current_app, g, request, session

from core.domain import disk_space, photo_quotas, photos
from core.domain.errors import N_, DomainError
from webui.database import db


def _sender() -> str:
    # A household's drafts count together, whichever of its members sent them.
    return g.profile["dwelling_id"] if g.profile is not None else g.staff["id"]


def mine(photo_ids: list[str]) -> list[str]:
    """Return those of these photos that are drafts of this session, still stored."""
    allowed = set(session.get("draft_photos", []))
    # A draft this session remembers may have gone meanwhile: dropped for the household's
    # quota from another device, or forgotten after two days.
    return photo_quotas.still_kept(db(), [p for p in photo_ids if p in allowed])


def kept(most: int) -> list[str]:
    """Return the ids of photos already received for the form being written."""
    return mine(request.form.getlist("kept_photo"))[:most]


def received(already: list[str], most: int) -> list[str]:
    """Re-encode and store the uploaded photos; return all the draft's photo ids."""
    config = current_app.config["RESIDACOEUR"]
    uploads = [f for f in request.files.getlist("photos") if f and f.filename]
    if len(already) + len(uploads) > most:
        raise DomainError(
            "photos_too_many", N_("You can add up to %(count)d photos."), "photos", count=most
        )
    if uploads:
        # Beside the photos field, so that the form comes back with what was typed.
        disk_space.require_room(config["data_dir"], config["min_free_disk_bytes"], "photos")
    encoded = [
        photos.reencode(
            upload.read(config["max_photo_bytes"] + 1),
            config["photo_max_side"],
            config["max_photo_bytes"],
        )
        for upload in uploads
    ]
    new_ids = [photos.store(db(), *photo, draft_of=_sender()) for photo in encoded]
    if new_ids:
        session["draft_photos"] = photo_quotas.within_quotas(
            db(), [*session.get("draft_photos", []), *new_ids], _sender(), [*already, *new_ids]
        )
    return already + new_ids


def sent(photo_ids: list[str]) -> None:
    """Forget draft photos once they belong to what was sent."""
    session["draft_photos"] = [p for p in session.get("draft_photos", []) if p not in photo_ids]
