"""Reading the pixels of an upload without letting it take the web service's memory.

A file of a few kilobytes can describe forty million pixels of one colour: decoded whole,
then copied by each conversion, it took a gunicorn worker from 80 MB to over 500 MB. What
is kept is at most ``max_side`` pixels on its longest side, so no more than that is read:

- a JPEG (what phones and cameras send) is decoded by libjpeg straight at 1/2, 1/4 or 1/8
  of its size, the smallest that still covers the kept size (``Image.draft``);
- a progressive JPEG holds the coefficients of the whole picture while it decodes, and the
  other formats decode only whole: each has a pixel cap the budget affords, well above a
  phone's screenshot;
- a worker decodes one photo at a time, so its threads never add their peaks.

``BUDGET_MB`` is what one upload may add to a worker's resident memory at the default
``photo_max_side`` (measured by bench/photo_memory.py, held by tests/unit/test_photo_memory.py;
figures in docs/PERFORMANCE.md).
"""

from __future__ import annotations

import io
import threading
import warnings

from PIL import Image, ImageOps

from core.domain.errors import N_, DomainError

BUDGET_MB = 80

# Decoded at reduced scale: the cap only keeps out the absurd (and Pillow's bomb checks).
SCALED_PIXELS = 40_000_000
# libjpeg holds 3 to 8 bytes of coefficients per pixel of a progressive JPEG while it
# decodes, whatever the scale. Phones and browsers write baseline JPEGs: only pictures
# saved from the web are progressive, and they are rarely this big.
PROGRESSIVE_PIXELS = 6_000_000
# Decoded whole, then made RGB before shrinking: about 12 bytes a pixel at the peak (24
# for WebP, whose decoder keeps its own copy). 6 megapixels is a phone's screenshot
# (1440 × 3200) and then some.
WHOLE_PIXELS = {"PNG": 6_000_000, "GIF": 6_000_000, "BMP": 6_000_000, "WEBP": 3_000_000}
SCALED_FORMATS = frozenset({"JPEG", "MPO"})
ACCEPTED_FORMATS = SCALED_FORMATS | set(WHOLE_PIXELS)

_one_at_a_time = threading.Lock()


def not_readable() -> DomainError:
    """The refusal of a file that is no picture we can read."""
    return DomainError(
        "photo_not_image",
        N_("This file is not a photo we can read. Send a JPEG or PNG picture."),
        "photos",
    )


def _too_many_pixels() -> DomainError:
    return DomainError(
        "photo_too_many_pixels",
        N_(
            "This picture is too large to be read here. Send a photo taken with a phone "
            "or a camera, or a smaller picture."
        ),
        "photos",
    )


def fitting(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """Return the size of a picture shrunk, never enlarged, to fit a square of max_side."""
    width, height = size
    ratio = min(max_side / width, max_side / height, 1.0)
    return max(1, round(width * ratio)), max(1, round(height * ratio))


def _cap(image: Image.Image) -> int:
    if image.format in SCALED_FORMATS:
        return PROGRESSIVE_PIXELS if image.info.get("progressive") else SCALED_PIXELS
    return WHOLE_PIXELS[image.format]


def _checked(data: bytes) -> None:
    # Every chunk's checksum (PNG) is read before any pixel is decoded.
    with Image.open(io.BytesIO(data)) as probe:
        if probe.format not in ACCEPTED_FORMATS:
            raise not_readable()
        if probe.width * probe.height > _cap(probe):
            raise _too_many_pixels()
        probe.verify()


def decoded(data: bytes, max_side: int) -> Image.Image:
    """Return an upload's pixels as RGB, upright, fitting a square of ``max_side``.

    Raises DomainError (``photo_not_image``, ``photo_too_many_pixels``) and lets Pillow's
    own errors through for the caller to turn into a refusal.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        _checked(data)
        with _one_at_a_time, Image.open(io.BytesIO(data)) as image:
            if image.format in SCALED_FORMATS:
                image.draft(None, fitting(image.size, max_side))
            image.load()
            # Phones store "which way is up" in EXIF: apply it to the pixels before the
            # EXIF block is thrown away.
            ImageOps.exif_transpose(image, in_place=True)
            # Whole-decoded palettes and transparency become RGB first: shrinking a
            # palette picks pixels instead of blending them, and shrinking with alpha
            # copies the whole picture once more.
            pixels = image if image.mode in ("RGB", "L", "CMYK") else image.convert("RGB")
            pixels.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            return pixels if pixels.mode == "RGB" else pixels.convert("RGB")
