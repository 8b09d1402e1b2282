"""Photos are re-encoded from their pixels: resized, stripped of EXIF and GPS, real images only."""

import io
import os

import pytest
from PIL import Image

from core.domain import photos
from core.domain.errors import DomainError

LIMIT = 8 * 1024 * 1024


def _jpeg_with_gps(width=3000, height=2000) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (43.0, 20.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_resized_and_loses_its_exif_and_position():
    jpeg, width, height = photos.reencode(_jpeg_with_gps(), 1600, LIMIT)
    with Image.open(io.BytesIO(jpeg)) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 1600
        assert not stored.getexif()
        assert b"PhoneMaker" not in jpeg
    # The EXIF orientation was applied to the pixels before it was dropped.
    assert (width, height) == (1067, 1600)


def test_a_png_with_transparency_becomes_a_jpeg():
    out = io.BytesIO()
    Image.new("RGBA", (50, 40), (0, 0, 0, 0)).save(out, "PNG")
    jpeg, width, height = photos.reencode(out.getvalue(), 1600, LIMIT)
    assert jpeg[:3] == b"\xff\xd8\xff" and (width, height) == (50, 40)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not an image at all",
        b"%PDF-1.4\n...",
        b"\xff\xd8\xff\xe0" + b"\x00" * 50,
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    ],
)
def test_anything_that_is_not_a_real_image_is_refused(data):
    with pytest.raises(DomainError) as caught:
        photos.reencode(data, 1600, LIMIT)
    assert caught.value.code == "photo_not_image"


def test_a_truncated_jpeg_is_refused():
    with pytest.raises(DomainError):
        photos.reencode(_jpeg_with_gps(400, 300)[:600], 1600, LIMIT)


def test_a_file_over_the_size_limit_is_refused_before_decoding():
    with pytest.raises(DomainError) as caught:
        photos.reencode(b"\x00" * 2000, 1600, 1000)
    assert caught.value.code == "photo_too_big"


def test_a_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG")
    with pytest.raises(DomainError) as caught:
        photos.reencode(out.getvalue(), 1600, LIMIT)
    assert caught.value.code == "photo_not_image"


def test_photos_of_a_form_never_sent_are_forgotten_after_a_while(engine, pepper, small_estate):
    from datetime import timedelta

    from core.domain import access_codes, people, reports
    from core.domain.clock import utcnow
    from tests.conftest import PIN

    jpeg, width, height = photos.reencode(_jpeg_with_gps(200, 100), 1600, LIMIT)
    with engine.begin() as connection:
        draft = photos.store(connection, jpeg, width, height)
        used = photos.store(connection, jpeg, width, height)
        code = access_codes.find(connection, pepper, small_estate.codes["A-01"])
        profile_id = people.create_profile(
            connection, code["id"], small_estate.dwellings["A-01"], "Odette", "fr", PIN, PIN
        )
        profile = people.get_profile(connection, profile_id)
        reports.file(connection, profile, "lift", "lift", "Panne", [used])
        assert photos.forget_unused(connection, older_than=utcnow() - timedelta(days=2)) == 0
        assert photos.forget_unused(connection, older_than=utcnow() + timedelta(seconds=1)) == 1
        assert photos.load(connection, draft) is None
        assert photos.load(connection, used) is not None


def test_a_photo_full_of_fine_detail_is_made_small_enough_to_travel():
    noise = Image.frombytes("RGB", (1600, 1600), os.urandom(1600 * 1600 * 3))
    raw = io.BytesIO()
    noise.save(raw, "PNG")
    jpeg, width, height = photos.reencode(raw.getvalue(), 1600, 64 * 1024 * 1024)
    assert len(jpeg) <= photos.MAX_KEPT_BYTES
    assert 0 < width < 1600 and width == height


def _segments(jpeg: bytes) -> list[tuple[int, bytes]]:
    """Return the (marker, payload) of each segment before the compressed pixels."""
    assert jpeg[:2] == b"\xff\xd8"
    found, at = [], 2
    while True:
        marker, length = jpeg[at + 1], int.from_bytes(jpeg[at + 2 : at + 4], "big")
        found.append((marker, jpeg[at + 4 : at + 2 + length]))
        if marker == 0xDA:  # start of scan: the pixels follow
            return found
        at += 2 + length


def _assert_pixels_only(jpeg: bytes) -> None:
    for marker, payload in _segments(jpeg):
        assert marker != 0xFE, "a comment (COM) was kept"
        if 0xE0 <= marker <= 0xEF:
            # Only the JFIF header libjpeg always writes, without a thumbnail.
            assert marker == 0xE0 and payload[:5] == b"JFIF\x00", f"APP{marker - 0xE0} kept"
            assert payload[12:14] == b"\x00\x00"


def _icc_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def test_a_jpeg_keeps_no_comment_and_no_application_segment():
    image = Image.new("RGB", (400, 300), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        comment=b"SECRET-COMMENT flat 12",
        exif=exif,
        xmp=b"<x:xmpmeta>SECRET-XMP</x:xmpmeta>",
        icc_profile=_icc_profile(),
        # An IPTC block (APP13) and a vendor segment (APP15), as editors write them.
        extra=b"\xff\xed\x00\x10Photoshop 3.0\x00" + b"\xff\xef\x00\x0eSECRET-APP15",
    )
    jpeg, _, _ = photos.reencode(out.getvalue(), 1600, LIMIT)
    _assert_pixels_only(jpeg)
    assert b"SECRET" not in jpeg and b"PhoneMaker" not in jpeg and b"ICC_PROFILE" not in jpeg


def test_a_png_or_gif_keeps_none_of_its_text():
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "SECRET-TEXT")
    text.add_text("Author", "SECRET-ZTXT", zip=True)
    text.add_itxt("Description", "SECRET-ITXT", lang="fr")
    png = io.BytesIO()
    Image.new("RGB", (200, 100), (1, 2, 3)).save(png, "PNG", pnginfo=text)
    gif = io.BytesIO()
    Image.new("P", (200, 100), 1).save(gif, "GIF", comment=b"SECRET-GIF")
    for upload in (png.getvalue(), gif.getvalue()):
        jpeg, _, _ = photos.reencode(upload, 1600, LIMIT)
        _assert_pixels_only(jpeg)
        assert b"SECRET" not in jpeg
