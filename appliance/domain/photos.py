"""Photos sent by people: decoded, checked, resized and re-encoded before they are kept.

Re-encoding from pixels drops everything else the file carried — EXIF, GPS position,
camera serial numbers, embedded scripts — and refuses anything that is not an image.
"""

from __future__ import annotations

import io
import warnings
from datetime import datetime, timedelta
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import Connection, delete, select

from appliance.domain.clock import new_id, utcnow
from appliance.domain.errors import N_, DomainError
from appliance.storage.schema import (
    deals,
    news,
    photos,
    posts,
    report_photos,
    works_notices,
)

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}
# Decoding a small file into a huge bitmap is a memory attack on a Pi-class box.
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 82
# A kept photo travels to the hub in one message under the broker's packet limit; a
# photo still bigger after re-encoding (noise, fine detail) is made smaller until it fits.
MAX_KEPT_BYTES = 1536 * 1024
# Photos received for a form that was never sent are kept this long, so a person who
# comes back to finish the report (or the news, or the works notice) still finds them.
DRAFTS_KEPT = timedelta(days=2)


def _refuse() -> DomainError:
    return DomainError(
        "photo_not_image",
        N_("This file is not a photo we can read. Send a JPEG or PNG picture."),
        "photos",
    )


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
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise _refuse()
                if probe.width * probe.height > MAX_PIXELS:
                    raise _refuse()
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                # Phones store "which way is up" in EXIF: apply it to the pixels before
                # the EXIF block is thrown away.
                image = ImageOps.exif_transpose(image)
                image = image.convert("RGB")
                image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
                jpeg = _jpeg(image)
                while len(jpeg) > MAX_KEPT_BYTES:
                    image.thumbnail((image.width * 3 // 4, image.height * 3 // 4))
                    jpeg = _jpeg(image)
                return jpeg, image.width, image.height
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
        raise _refuse() from None


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def store(connection: Connection, jpeg: bytes, width: int, height: int) -> str:
    """Keep a re-encoded photo and return its id."""
    photo_id = new_id()
    connection.execute(
        photos.insert().values(
            id=photo_id, jpeg=jpeg, width=width, height=height, created_at=utcnow()
        )
    )
    return photo_id


def load(connection: Connection, photo_id: str) -> dict[str, Any] | None:
    """Return a stored photo, or None."""
    row = connection.execute(select(photos).where(photos.c.id == photo_id)).mappings().first()
    return dict(row) if row else None


def forget_unused(connection: Connection, older_than: datetime) -> int:
    """Delete photos kept for a form that was never sent, once they are old enough."""
    used_by_reports = select(report_photos.c.photo_id)
    used_by_news = select(news.c.photo_id).where(news.c.photo_id.is_not(None))
    used_by_works = select(works_notices.c.photo_id).where(works_notices.c.photo_id.is_not(None))
    used_by_posts = select(posts.c.photo_id).where(posts.c.photo_id.is_not(None))
    used_by_deals = select(deals.c.photo_id).where(deals.c.photo_id.is_not(None))
    result = connection.execute(
        delete(photos).where(
            photos.c.created_at < older_than,
            photos.c.id.not_in(used_by_reports),
            photos.c.id.not_in(used_by_news),
            photos.c.id.not_in(used_by_works),
            photos.c.id.not_in(used_by_posts),
            photos.c.id.not_in(used_by_deals),
        )
    )
    return result.rowcount
