"""Refusing one's own forms again and again cannot fill the box with photos: a session and
a household keep only so many photos of forms not yet sent, the newest."""

import io
import re

from PIL import Image
from sqlalchemy import select

from core.domain import photo_quotas
from core.storage.schema import photos, profiles
from tests.conftest import PIN, Browser

KEPT = re.compile(r'name="kept_photo" value="([0-9a-f]+)"')


def _png(shade: int) -> tuple[io.BytesIO, str]:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (shade, 120, 200)).save(out, "PNG")
    out.seek(0)
    return out, f"hall-{shade}.png"


def _refused_with_three_photos(browser, shade: int) -> list[str]:
    """Send the report form without a description; return the photos it kept."""
    refused = browser.post(
        "/reports",
        {
            "category": "damage",
            "location": "hall",
            "description": "",
            "photos": [_png(shade), _png(shade + 1), _png(shade + 2)],
        },
        form_page="/reports/new",
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    return KEPT.findall(refused.get_data(as_text=True))


def _stored(engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(select(photos.c.id)).scalars())


def test_a_session_refusing_its_forms_keeps_only_its_newest_draft_photos(
    browser, engine, small_estate
):
    browser.activate(small_estate.codes["A-01"])
    for attempt in range(5):
        kept = _refused_with_three_photos(browser, 10 * attempt)
    assert len(_stored(engine)) == photo_quotas.SESSION_PHOTOS
    # The photos of the form on screen are among those kept, and go with the report.
    assert set(kept) <= _stored(engine)
    filed = browser.post(
        "/reports",
        {"category": "damage", "location": "hall", "description": "Vitre", "kept_photo": kept},
        form_page="/reports/new",
    )
    assert filed.status_code == 302
    report_page = browser.get(filed.headers["Location"]).get_data(as_text=True)
    assert all(f"/photos/{photo_id}.jpg" in report_page for photo_id in kept)


def _signed_in_again(app, code: str, profile_id: str):
    """Sign the same person in on another device: code, their name, their PIN."""
    device = Browser(app.test_client())
    device.post("/welcome", {"code": code})
    page = f"/welcome/who/{profile_id}"
    assert device.post(page, {"pin": PIN}, form_page=page).status_code == 302
    return device


def test_a_household_keeps_only_its_quota_of_draft_photos_whatever_its_devices(
    app, browser, engine, small_estate
):
    neighbour = Browser(app.test_client())
    neighbour.activate(small_estate.codes["A-02"], name="Karim")
    theirs = set(_refused_with_three_photos(neighbour, 200))
    browser.activate(small_estate.codes["A-01"])
    first = _refused_with_three_photos(browser, 0)
    last = _refused_with_three_photos(browser, 10)
    with engine.connect() as connection:
        odette = connection.execute(
            select(profiles.c.id).where(profiles.c.display_name == "Odette")
        ).scalar_one()
    # New sessions, each within a session's quota, as new devices would have.
    for device in range(1, 4):
        again = _signed_in_again(app, small_estate.codes["A-01"], odette)
        for attempt in range(2):
            last = _refused_with_three_photos(again, 20 * device + 10 * attempt)
    stored = _stored(engine)
    assert len(stored - theirs) == photo_quotas.HOUSEHOLD_PHOTOS
    # The oldest went first; the newest form keeps its own; another household's drafts
    # are not theirs to push out.
    assert not set(first) & stored
    assert set(last) <= stored and theirs <= stored
    # The first device's form, sent at last, goes without the photos that went.
    filed = browser.post(
        "/reports",
        {"category": "damage", "location": "hall", "description": "Vitre", "kept_photo": first},
        form_page="/reports/new",
    )
    assert filed.status_code == 302
    assert "/photos/" not in browser.get(filed.headers["Location"]).get_data(as_text=True)
