"""One person cannot stop the box: a malformed request is a clear 400, never a server
error, and nothing sent in it that no one can store is ever stored."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from core.storage.schema import dwellings
from tests.conftest import Browser
from tests.support.api_client import PREFIX, Api, is_problem
from tests.support.databases import postgres_database, postgres_url
from webui import create_app

BOUNDARY = "----residacoeur-test"
# What the page says, in French, the language of a person not signed in.
UNREADABLE_FR = "Ce qui a été envoyé n’a pas pu être lu"

NAMELESS_PARTS = {
    "no-name": b"Content-Disposition: form-data\r\n\r\nK7QM-4RZT-9XPD",
    "no-disposition": b"Content-Type: text/plain\r\n\r\nK7QM-4RZT-9XPD",
    "file-without-name": b'Content-Disposition: form-data; filename="a.txt"\r\n\r\nhello',
}


def _multipart(*parts: bytes) -> bytes:
    body = b"".join(b"--" + BOUNDARY.encode() + b"\r\n" + part + b"\r\n" for part in parts)
    return body + b"--" + BOUNDARY.encode() + b"--\r\n"


def _field(name: str, value: bytes, headers: bytes = b"") -> bytes:
    disposition = f'Content-Disposition: form-data; name="{name}"\r\n'.encode()
    return disposition + headers + b"\r\n" + value


def _token(client, page: str) -> str:
    html = client.get(page).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _post_multipart(client, url: str, body: bytes, **kwargs):
    return client.post(
        url, data=body, content_type=f"multipart/form-data; boundary={BOUNDARY}", **kwargs
    )


def _is_unreadable_page(response) -> bool:
    return (
        response.status_code == 400
        and response.mimetype == "text/html"
        and UNREADABLE_FR in response.get_data(as_text=True)
    )


@pytest.fixture(params=["app", "hub"])
def service(request):
    """The box's web service, then the hub's."""
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("part", NAMELESS_PARTS.values(), ids=NAMELESS_PARTS.keys())
def test_a_form_part_without_a_name_is_a_clear_400_on_a_page(service, part):
    client = service.test_client()
    token = _token(client, "/staff/sign-in")
    body = _multipart(_field("csrf_token", token.encode()), part)
    assert _is_unreadable_page(_post_multipart(client, "/staff/sign-in", body))


@pytest.mark.parametrize("part", NAMELESS_PARTS.values(), ids=NAMELESS_PARTS.keys())
def test_a_form_part_without_a_name_is_a_clear_400_in_the_api(service, part):
    api = Api(service.test_client())
    token = api.get("/session").get_json()["csrf_token"]
    response = _post_multipart(
        api.client, PREFIX + "/session/staff", _multipart(part), headers={"X-CSRFToken": token}
    )
    assert is_problem(response, 400, "request_unreadable")


def test_a_form_part_without_a_name_is_a_clear_400_where_tenants_sign_in(app, small_estate):
    client = app.test_client()
    body = _multipart(
        _field("csrf_token", _token(client, "/welcome").encode()), NAMELESS_PARTS["no-name"]
    )
    assert _is_unreadable_page(_post_multipart(client, "/welcome", body))


def _dwelling_count(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(dwellings)).scalar()


@pytest.fixture
def agent(app, small_estate) -> Browser:
    browser = Browser(app.test_client())
    browser.sign_in_staff("agent")
    return browser


def _dwelling_form(agent: Browser, building_id: str, reference: bytes, headers: bytes = b""):
    token = agent.token("/staff/dwellings/new")
    body = _multipart(
        _field("csrf_token", token.encode()),
        _field("building_id", building_id.encode()),
        _field("reference", reference, headers),
        _field("staircase", b"1"),
        _field("floor", b"1"),
    )
    return _post_multipart(agent.client, "/staff/dwellings", body)


@pytest.mark.parametrize(
    ("reference", "headers"),
    [
        (b"A-9\xff", b""),
        (b"A-9\xe9", b"Content-Type: text/plain; charset=iso-8859-1\r\n"),
        (b"A-9\xe9", b"Content-Type: text/plain; charset=windows-1252\r\n"),
    ],
    ids=["not-utf8", "latin-1-part", "odd-charset"],
)
def test_a_multipart_field_not_in_utf8_is_refused_and_nothing_is_stored(
    agent, small_estate, engine, reference, headers
):
    before = _dwelling_count(engine)
    response = _dwelling_form(agent, small_estate.building_a, reference, headers)
    assert _is_unreadable_page(response)
    assert _dwelling_count(engine) == before


@pytest.mark.parametrize(
    "reference", [b"A-9%FF", b"A-9\xff", b"A-9%00"], ids=["escaped", "raw", "nul"]
)
def test_a_url_encoded_field_not_in_utf8_or_with_a_nul_is_refused(
    agent, small_estate, engine, reference
):
    token = agent.token("/staff/dwellings/new")
    body = (
        f"csrf_token={token}&building_id={small_estate.building_a}&staircase=1&floor=1&reference=".encode()
        + reference
    )
    before = _dwelling_count(engine)
    response = agent.client.post(
        "/staff/dwellings", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert _is_unreadable_page(response)
    assert _dwelling_count(engine) == before


def test_a_hidden_character_in_a_form_comes_back_beside_its_field(agent, small_estate, engine):
    before = _dwelling_count(engine)
    response = _dwelling_form(agent, small_estate.building_a, b"A-9\x1b")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="reference-error"' in page and "control character" in page
    assert _dwelling_count(engine) == before


@pytest.mark.parametrize(
    "raw",
    ['{"code": "K7QM"}'.encode("utf-16"), '{"code": "K7QM"}'.encode("utf-32-le")],
    ids=["utf-16", "utf-32"],
)
def test_a_json_body_not_in_utf8_is_a_bad_request(app, raw):
    api = Api(app.test_client())
    response = api.post("/session/code", data=raw, content_type="application/json")
    assert is_problem(response, 400, "body_malformed")


@pytest.mark.parametrize("text", ["A\u0000B", "A\ud800B"], ids=["nul", "surrogate"])
def test_json_text_that_no_database_can_store_is_a_bad_request(app, small_estate, text):
    agent = Api(app.test_client())
    agent.sign_in_staff("agent")
    response = agent.post(
        "/staff/dwellings",
        {"building_id": small_estate.building_a, "reference": text, "staircase": "", "floor": 1},
    )
    assert is_problem(response, 400, "body_malformed")


@pytest.fixture
def hub_on_postgresql(data_dir, postgres_template):
    """The hub's web service over a fresh PostgreSQL database."""
    with postgres_database(postgres_template) as name:
        config = {"data_dir": str(data_dir), "database_url": postgres_url(name), "role": "hub"}
        app = create_app(config)
        app.config["TESTING"] = True
        yield app
        app.extensions["engine"].dispose()


def test_a_nul_sent_to_the_hub_on_postgresql_is_a_bad_request_not_a_server_error(
    hub_on_postgresql,
):
    api = Api(hub_on_postgresql.test_client())
    assert is_problem(api.sign_in_staff("agent\u0000"), 400, "body_malformed")
    client = hub_on_postgresql.test_client()
    form = {
        "csrf_token": _token(client, "/staff/sign-in"),
        "username": "agent\x00",
        "password": "x",
    }
    assert _is_unreadable_page(client.post("/staff/sign-in", data=form))
    assert is_problem(api.get("/staff/reports?after=%00"), 400, "request_unreadable")
    assert _is_unreadable_page(client.get("/staff/reports/%00"))
