"""A box whose disk is nearly full refuses photos with a clear message in the person's
language, keeping what they typed; the API refuses tenants' writes; what the box holds is
still shown.

The reserve of free space is set above the disk's real free space, so the disk the tests
run on is "nearly full".
"""

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from core.storage.schema import photos, reports
from tests.conftest import Browser
from tests.support.api_client import Api, is_problem
from webui import create_app

NEARLY_FULL = {
    "fr": "Le portail n’a presque plus de place.",
    "en": "The portal has almost no space left.",
    "ar": "لم يبقَ في البوابة مكان تقريبًا.",
}


@pytest.fixture
def full_app(data_dir, engine):
    app = create_app(
        {
            "data_dir": str(data_dir),
            "login_attempts_per_address": 1000,
            "min_free_disk_bytes": 10**18,
        }
    )
    app.config["TESTING"] = True
    yield app
    app.extensions["engine"].dispose()


def _png() -> tuple[io.BytesIO, str]:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(out, "PNG")
    out.seek(0)
    return out, "hall.png"


def _count(engine, table) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar()


@pytest.mark.parametrize("locale", ["fr", "en", "ar"])
def test_a_report_with_a_photo_is_refused_in_the_tenants_language(
    full_app, engine, small_estate, locale
):
    tenant = Browser(full_app.test_client())
    tenant.activate(small_estate.codes["A-01"], locale=locale)
    refused = tenant.post(
        "/reports",
        {
            "category": "damage",
            "location": "hall",
            "description": "Vitre cassée",
            "photos": [_png()],
        },
        form_page="/reports/new",
        content_type="multipart/form-data",
    )
    assert refused.status_code == 507
    page = refused.get_data(as_text=True)
    assert NEARLY_FULL[locale] in page
    # The form comes back with the description typed: nothing to type again.
    assert "Vitre cassée" in page
    assert _count(engine, reports) == 0 and _count(engine, photos) == 0
    # What the box holds is still shown.
    assert tenant.get("/reports").status_code == 200


def test_a_tenant_s_text_still_goes_through_and_they_can_change_language_and_leave(
    full_app, engine, small_estate
):
    tenant = Browser(full_app.test_client())
    tenant.activate(small_estate.codes["A-01"])
    filed = tenant.post(
        "/reports",
        {"category": "lift", "location": "lift", "description": "Bloqué au 3e"},
        form_page="/reports/new",
    )
    assert filed.status_code == 302 and _count(engine, reports) == 1
    english = tenant.post("/preferences/language", {"locale": "en", "next": "/"}, form_page="/")
    assert english.status_code == 302
    assert tenant.post("/sign-out", form_page="/").status_code == 302


def test_the_api_refuses_a_tenants_write_with_a_problem(full_app, small_estate):
    api = Api(full_app.test_client())
    assert api.activate(small_estate.codes["A-01"]).status_code == 201
    refused = api.post(
        "/reports",
        data={"category": "lift", "location": "lift", "description": "Panne", "photos": []},
        content_type="multipart/form-data",
    )
    assert is_problem(refused, 507, "disk_nearly_full")
    assert NEARLY_FULL["fr"] in refused.get_json()["detail"]


def test_staff_cannot_upload_a_picture_but_still_write_without_one(full_app, engine, small_estate):
    staff = Browser(full_app.test_client())
    staff.sign_in_staff("mairie")
    fields = {"title": "Collecte", "body": "Mardi matin.", "scope": "", "expires_at": ""}
    with_picture = staff.post(
        "/staff/news/preview",
        {**fields, "photos": (_png()[0], "affiche.png")},
        form_page="/staff/news/new",
        content_type="multipart/form-data",
    )
    assert with_picture.status_code == 507
    page = with_picture.get_data(as_text=True)
    assert NEARLY_FULL["en"] in page and "Mardi matin." in page
    assert _count(engine, photos) == 0
    # Without a picture the form is read (and here refused for what is missing).
    without = staff.post(
        "/staff/news/preview",
        {**fields, "photos": (io.BytesIO(b""), "")},
        form_page="/staff/news/new",
        content_type="multipart/form-data",
    )
    assert without.status_code == 422
