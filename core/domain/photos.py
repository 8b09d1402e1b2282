"""Photos sent by people: decoded, checked, resized and re-encoded before they are kept.

Re-encoding from pixels drops everything else the file carried — EXIF, GPS position,
camera serial numbers, comments, XMP, IPTC, colour profiles, PNG text, embedded scripts —
and refuses anything that is not an image. The kept JPEG holds the pixels and the JFIF
header libjpeg always writes, nothing else. The colour profile goes too: a phone's
profile names its maker and model, and a report's photo needs no exact colours (a
Display P3 photo looks a little duller without it). Decoding within the memory budget is
``photo_decoding``'s work.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

from PIL import Image, UnidentifiedImageError
from sqlalchemy import ColumnElement, Connection, and_, delete, select

from core.domain import photo_decoding
from core.domain.clock import new_id, utcnow
from core.domain.errors import N_, DomainError
from core.storage.schema import (
    deals,
    news,
    photos,
    posts,
    report_photos,
    works_notices,
)

JPEG_QUALITY = 82
# A kept photo travels to the hub in one message under the broker's packet limit; a
# photo still bigger after re-encoding (noise, fine detail) is made smaller until it fits.
MAX_KEPT_BYTES = 1536 * 1024
# Photos received for a form that was never sent are kept this long, so a person who
# comes back to finish the report (or the news, or the works notice) still finds them.
DRAFTS_KEPT = timedelta(days=2)


def reencode(data: bytes, max_side: int, max_bytes: int) -> tuple[bytes, int, int]:
    """Return (jpeg, width, height) made from the pixels of an uploaded image."""
    if len(data) > max_bytes:
        raise DomainError(
            "photo_too_big",
            N_("This photo is too big (%(limit)d MB at most)."),
            "photos",
            limit=max_bytes // (1024 * 1024),
        )
    try:
        image = photo_decoding.decoded(data, max_side)
    except DomainError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise photo_decoding.not_readable() from None
    jpeg = _jpeg(image)
    while len(jpeg) > MAX_KEPT_BYTES:
        image.thumbnail((image.width * 3 // 4, image.height * 3 // 4))
        jpeg = _jpeg(image)
    return jpeg, image.width, image.height


def _jpeg(image: Image.Image) -> bytes:
    # Pillow writes a comment it finds in ``info`` (from a JPEG or a GIF) into the new
    # file: the pixels are saved with none of what the upload said about itself.
    image.info = {}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def store(
    connection: Connection, jpeg: bytes, width: int, height: int, draft_of: str | None = None
) -> str:
    """Keep a re-encoded photo and return its id.

    ``draft_of`` names who sent it for a form not yet sent — a household (its dwelling)
    or a staff member — so that their drafts can be counted (``photo_quotas``).
    """
    photo_id = new_id()
    connection.execute(
        photos.insert().values(
            id=photo_id,
            jpeg=jpeg,
            width=width,
            height=height,
            created_at=utcnow(),
            draft_of=draft_of,
        )
    )
    return photo_id


def keep_from_link(
    connection: Connection, photo_id: str, jpeg: bytes, width: int, height: int
) -> None:
    """Keep a photo the other side of the link sent, under its id there, unless it is
    already here (a photo may come again with each thing that shows it)."""
    if has(connection, photo_id):
        return
    connection.execute(
        photos.insert().values(
            id=photo_id, jpeg=jpeg, width=width, height=height, created_at=utcnow()
        )
    )


def has(connection: Connection, photo_id: str) -> bool:
    """Tell whether a photo is here (without reading it)."""
    return (
        connection.execute(select(photos.c.id).where(photos.c.id == photo_id)).first() is not None
    )


def load(connection: Connection, photo_id: str) -> dict[str, Any] | None:
    """Return a stored photo, or None."""
    row = connection.execute(select(photos).where(photos.c.id == photo_id)).mappings().first()
    return dict(row) if row else None


def unused() -> ColumnElement[bool]:
    """The condition of a photo nothing uses yet: a draft."""
    return and_(
        photos.c.id.not_in(select(report_photos.c.photo_id)),
        photos.c.id.not_in(select(news.c.photo_id).where(news.c.photo_id.is_not(None))),
        photos.c.id.not_in(
            select(works_notices.c.photo_id).where(works_notices.c.photo_id.is_not(None))
        ),
        photos.c.id.not_in(select(posts.c.photo_id).where(posts.c.photo_id.is_not(None))),
        photos.c.id.not_in(select(deals.c.photo_id).where(deals.c.photo_id.is_not(None))),
    )


def forget_unused(connection: Connection, older_than: datetime) -> int:
    """Delete photos kept for a form that was never sent, once they are old enough."""
    result = connection.execute(delete(photos).where(photos.c.created_at < older_than, unused()))
    return result.rowcount
