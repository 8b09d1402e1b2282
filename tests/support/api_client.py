"""The JSON API as a script uses it, for tests: a client that sends the session's CSRF
token, how a problem answer is told, and the requests many tests make."""

from __future__ import annotations

import io

from PIL import Image

from tests.conftest import PIN, STAFF_PASSWORD

PREFIX = "/api/v1"


class Api:
    """A JSON client that sends the session's CSRF token the way a script would."""

    def __init__(self, client):
        self.client = client
        self.token: str | None = None

    def get(self, path: str, **kwargs):
        return self.client.get(PREFIX + path, **kwargs)

    def send(self, method: str, path: str, json=None, headers: dict | None = None, **kwargs):
        if self.token is None:
            self.token = self.get("/session").get_json()["csrf_token"]
        headers = {"X-CSRFToken": self.token, **(headers or {})}
        response = self.client.open(
            PREFIX + path, method=method, json=json, headers=headers, **kwargs
        )
        body = response.get_json(silent=True)
        if isinstance(body, dict) and "csrf_token" in body:
            self.token = body["csrf_token"]
        return response

    def post(self, path: str, json=None, **kwargs):
        return self.send("POST", path, json, **kwargs)

    def patch(self, path: str, json=None, **kwargs):
        return self.send("PATCH", path, json, **kwargs)

    def delete(self, path: str, **kwargs):
        return self.send("DELETE", path, **kwargs)

    def activate(self, code: str, name: str = "Odette", locale: str = "fr", pin: str = PIN):
        """Type the household's code and create a profile; a member already there (every
        test profile has the PIN ``PIN``) vouches, in case one must."""
        entered = self.post("/session/code", {"code": code})
        assert entered.status_code == 200
        fields = {"display_name": name, "locale": locale, "pin": pin, "pin_confirm": pin}
        members = entered.get_json()["members"]
        if members:
            fields.update(member_id=members[0]["id"], member_pin=PIN)
        return self.post("/session/profile", fields)

    def sign_in_staff(self, username: str, password: str = STAFF_PASSWORD):
        return self.post("/session/staff", {"username": username, "password": password})


def is_problem(response, status: int, code: str | None = None) -> bool:
    """Tell whether the answer is problem details with this status (and code)."""
    body = response.get_json(silent=True) or {}
    return (
        response.status_code == status
        and response.mimetype == "application/problem+json"
        and body.get("status") == status
        and bool(body.get("detail"))
        and (code is None or body.get("code") == code)
    )


def png(width: int = 64, height: int = 48, colour: str = "teal") -> bytes:
    """Return a real PNG picture."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def file_report(api: Api, location: str = "hall", photos: list | None = None, **fields):
    """File a report through the API as a multipart form."""
    data = {"category": "cleanliness", "location": location, "description": "Sol sale.", **fields}
    data["photos"] = photos or []
    return api.post("/reports", data=data, content_type="multipart/form-data")


def put_on_board(api: Api, photo: bytes | None = None, **fields):
    """Put a post on the board as a multipart form, accepting the charter (None: leave out)."""
    defaults = {
        "category": "recipes",
        "scope": "building",
        "title": "Tajine aux olives",
        "body": "Ma recette du dimanche.",
        "accept_charter": "true",
    }
    data = {name: value for name, value in (defaults | fields).items() if value is not None}
    if photo is not None:
        data["photo"] = (io.BytesIO(photo), "tajine.png")
    return api.post("/board", data=data, content_type="multipart/form-data")
