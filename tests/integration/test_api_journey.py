"""A whole report's life through the API only: tenant files it with a photo, agent answers."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image

from tests.support.api_client import Api, png


@pytest.fixture
def tenant(app) -> Api:
    return Api(app.test_client())


@pytest.fixture
def agent(app) -> Api:
    return Api(app.test_client())


def test_a_tenant_reports_with_a_photo_and_follows_the_agents_answer(tenant, agent, small_estate):
    household = tenant.post("/session/code", {"code": small_estate.codes["A-01"]}).get_json()
    assert household["first"] is True
    signed_in = tenant.post(
        "/session/profile",
        {"display_name": "Odette", "locale": "fr", "pin": "2580", "pin_confirm": "2580"},
    )
    assert signed_in.status_code == 201

    filed = tenant.post(
        "/reports",
        data={
            "category": "heating_water",
            "location": "dwelling",
            "description": "Plus d'eau chaude depuis hier soir.",
            "photos": (io.BytesIO(png()), "robinet.png"),
        },
        content_type="multipart/form-data",
    )
    assert filed.status_code == 201
    report = filed.get_json()
    assert filed.headers["Location"] == f"/api/v1/reports/{report['id']}"
    assert report["status"] == "received" and report["own"] is True
    assert len(report["photos"]) == 1
    photo = tenant.client.get(report["photos"][0]["url"])
    assert photo.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(photo.data)).size == (64, 48)

    assert agent.sign_in_staff("agent").status_code == 200
    waiting = agent.get("/staff/reports", query_string={"status": "open"}).get_json()["reports"]
    assert report["id"] in [r["id"] for r in waiting]
    visit = (date.today() + timedelta(days=3)).isoformat()
    moved = agent.post(
        f"/staff/reports/{report['id']}/status",
        {
            "status": "scheduled",
            "message": "Le plombier passe mardi matin.",
            "scheduled_for": visit,
        },
    )
    assert moved.status_code == 200
    assert moved.get_json()["status"] == "scheduled"

    seen = tenant.get(f"/reports/{report['id']}").get_json()
    assert seen["status"] == "scheduled"
    assert seen["scheduled_for"] == visit
    last = seen["timeline"][-1]
    assert last["kind"] == "status" and last["note"] == "Le plombier passe mardi matin."
    assert last["staff_name"] is None

    answered = tenant.post(f"/reports/{report['id']}/messages", {"body": "Merci, je serai là."})
    assert answered.status_code == 200
    staff_view = agent.get(f"/staff/reports/{report['id']}").get_json()
    assert staff_view["timeline"][-1]["body"] == "Merci, je serai là."
    assert staff_view["timeline"][-1]["author_name"] == "Odette"
    assert staff_view["dwelling"]["reference"] == "A-01"
