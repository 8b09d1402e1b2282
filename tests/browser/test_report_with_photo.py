"""A tenant reports a problem with a photo from their phone; the box keeps no trace of where."""

import io
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from playwright.sync_api import Page, expect

from core.domain.reports import CATEGORIES
from tests.browser.households import Households
from tests.browser.tenant import activate, file_report
from tests.browser.words import said

pytestmark = pytest.mark.browser

LONGEST_SIDE = 1600


def phone_photo(folder: Path) -> Path:
    """Write a large JPEG with the camera and GPS details a phone puts in its photos."""
    picture = Image.radial_gradient("L").resize((3000, 2000)).convert("RGB")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Téléphone"
    exif[ExifTags.Base.Model] = "Modèle 12"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (43.0, 21.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (5.0, 21.0, 40.0),
    }
    path = folder / "radiateur.jpg"
    picture.save(path, "JPEG", exif=exif, quality=90)
    assert Image.open(path).getexif().get_ifd(ExifTags.IFD.GPSInfo), "the test photo has no GPS"
    return path


def test_a_report_with_a_photo_shows_the_photo_stripped_of_position_and_resized(
    page: Page, households: Households, tmp_path: Path
):
    activate(page, households.take(with_profiles=False), "Bernard")
    report_page = file_report(
        page, "heating_water", "dwelling", "Le radiateur du salon fuit.", phone_photo(tmp_path)
    )

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{said(page, CATEGORIES['heating_water'])} — {said(page, 'In my home')}"
    )
    expect(page.get_by_text("Le radiateur du salon fuit.")).to_be_visible()
    photo = page.get_by_role("img", name=said(page, "Photo %(number)d of the report", number=1))
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0"), "the photo does not load"

    response = page.request.get(photo.get_attribute("src"))
    assert response.ok, f"the photo of {report_page} answers {response.status}"
    assert response.headers["content-type"] == "image/jpeg"
    stored = Image.open(io.BytesIO(response.body()))
    assert stored.format == "JPEG"
    assert max(stored.size) <= LONGEST_SIDE
    assert dict(stored.getexif()) == {}, "the stored photo still has EXIF data"
    assert "exif" not in stored.info
