"""Bad input never breaks the API: every refusal is problem+json with the right status."""

from __future__ import annotations

import io

import pytest

from tests.support.api_client import PREFIX, Api, is_problem, png
from webui import create_app


@pytest.fixture
def api(app) -> Api:
    return Api(app.test_client())


@pytest.fixture
def tight_box(data_dir, engine):
    """A box that accepts small requests and small photos only."""
    app = create_app(
        {"data_dir": str(data_dir), "max_request_bytes": 60_000, "max_photo_bytes": 2_000}
    )
    app.config["TESTING"] = True
    yield app
    app.extensions["engine"].dispose()


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"",
        b"[1, 2]",
        b"null",
        b'"code"',
        b"\xff\xfe{}",
        b"[" * 100_000,
        b'{"code": ' + b"9" * 5000 + b"}",
    ],
    ids=["broken", "empty", "list", "null", "string", "not-utf8", "deep", "huge-number"],
)
def test_a_body_that_is_not_a_json_object_is_a_bad_request(api, raw):
    response = api.post("/session/code", data=raw, content_type="application/json")
    assert is_problem(response, 400, "body_malformed")


@pytest.mark.parametrize(
    "value",
    [123, 4.5, True, ["K7QM"], {"code": "K7QM"}],
    ids=["int", "float", "bool", "list", "object"],
)
def test_a_field_of_the_wrong_type_is_refused_with_its_name(api, value):
    response = api.post("/session/code", {"code": value})
    assert is_problem(response, 422, "field_type")
    assert response.get_json()["field"] == "code"


def test_unknown_fields_are_ignored(api, small_estate):
    response = api.post("/session/code", {"code": small_estate.codes["A-01"], "colour": "blue"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("application/x-www-form-urlencoded", "code=K7QM"),
        ("text/plain", '{"code": "K7QM"}'),
        (None, None),
    ],
    ids=["form", "text", "nothing"],
)
def test_a_body_of_another_content_type_is_unsupported(api, content_type, data):
    response = api.post("/session/code", data=data, content_type=content_type)
    assert is_problem(response, 415, "content_type_unsupported")


def test_a_date_not_written_as_iso_8601_is_refused_with_its_field(api, small_estate):
    tenant = Api(api.client.application.test_client())
    tenant.activate(small_estate.codes["A-01"])
    report = tenant.post(
        "/reports",
        data={"category": "other", "location": "hall", "description": "Porte cassée"},
        content_type="multipart/form-data",
    ).get_json()
    api.sign_in_staff("agent")
    response = api.post(
        f"/staff/reports/{report['id']}/status", {"status": "scheduled", "scheduled_for": "mardi"}
    )
    assert is_problem(response, 422, "field_type")
    assert response.get_json()["field"] == "scheduled_for"


def test_unknown_addresses_and_methods_are_problems_too(api):
    assert is_problem(api.get("/nothing/here"), 404)
    assert is_problem(api.send("PUT", "/me", {}), 405)


def test_a_body_bigger_than_the_box_accepts_is_refused(tight_box, small_estate):
    api = Api(tight_box.test_client())
    api.activate(small_estate.codes["A-01"])
    upload = api.post(
        "/reports",
        data={
            "category": "other",
            "location": "hall",
            "description": "x",
            "photos": (io.BytesIO(b"0" * 100_000), "big.png"),
        },
        content_type="multipart/form-data",
    )
    assert is_problem(upload, 413)
    message = api.post("/session/code", {"code": "x" * 100_000})
    assert is_problem(message, 413)


def test_a_photo_bigger_than_the_box_keeps_is_refused_by_field(tight_box, small_estate):
    api = Api(tight_box.test_client())
    api.activate(small_estate.codes["A-01"])
    response = api.post(
        "/reports",
        data={
            "category": "other",
            "location": "hall",
            "description": "x",
            "photos": (io.BytesIO(png(400, 400, "red") + b"\0" * 3000), "big.png"),
        },
        content_type="multipart/form-data",
    )
    assert is_problem(response, 422, "photo_too_big")
    assert response.get_json()["field"] == "photos"


def test_problem_messages_are_in_the_persons_language(api, small_estate):
    api.activate(small_estate.codes["A-01"], locale="en")
    response = api.client.get(PREFIX + "/reports/none", headers={"Accept-Language": "fr"})
    assert response.get_json()["detail"] == "This report does not exist."
    assert response.headers["Content-Language"] == "en"
