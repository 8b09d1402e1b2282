"""The report form never loses what the tenant typed or the photos already chosen."""

import io
import re

from PIL import Image


def _png() -> tuple[io.BytesIO, str]:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 200)).save(out, "PNG")
    out.seek(0)
    return out, "hall.png"


def _send(browser, fields, photos=()):
    data = {**fields, "photos": list(photos)}
    return browser.post(
        "/reports", data, form_page="/reports/new", content_type="multipart/form-data"
    )


def test_a_photo_that_is_not_an_image_comes_back_with_the_text_kept(browser, small_estate):
    browser.activate(small_estate.codes["A-01"])
    response = _send(
        browser,
        {"category": "lift", "location": "lift", "description": "Bloqué au 3e"},
        [(io.BytesIO(b"%PDF-1.4 not a photo"), "facture.pdf")],
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Bloqué au 3e" in page
    chosen = re.search(r'<input[^>]*name="category"[^>]*value="lift"[^>]*>', page).group(0)
    assert "checked" in chosen


def test_photos_are_kept_when_the_text_is_missing_and_sent_with_the_report(browser, small_estate):
    browser.activate(small_estate.codes["A-01"])
    refused = _send(
        browser, {"category": "damage", "location": "hall", "description": ""}, [_png()]
    )
    assert refused.status_code == 422
    kept = re.findall(r'name="kept_photo" value="([0-9a-f]+)"', refused.get_data(as_text=True))
    assert len(kept) == 1
    filed = browser.post(
        "/reports",
        {
            "category": "damage",
            "location": "hall",
            "description": "Vitre cassée",
            "kept_photo": kept,
        },
        form_page="/reports/new",
    )
    assert filed.status_code == 302
    report_page = browser.get(filed.headers["Location"]).get_data(as_text=True)
    assert f"/photos/{kept[0]}.jpg" in report_page


def test_a_tenant_cannot_attach_a_photo_that_is_not_theirs(browser, other_browser, small_estate):
    browser.activate(small_estate.codes["A-01"])
    refused = _send(
        browser, {"category": "damage", "location": "hall", "description": ""}, [_png()]
    )
    stolen = re.findall(r'name="kept_photo" value="([0-9a-f]+)"', refused.get_data(as_text=True))
    other_browser.activate(small_estate.codes["A-02"], name="Karim")
    filed = other_browser.post(
        "/reports",
        {"category": "damage", "location": "hall", "description": "Vitre", "kept_photo": stolen},
        form_page="/reports/new",
    )
    report_page = other_browser.get(filed.headers["Location"]).get_data(as_text=True)
    assert stolen[0] not in report_page
    assert other_browser.get(f"/photos/{stolen[0]}.jpg").status_code == 404
