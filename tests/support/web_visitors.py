"""People on a real web service, for tests and benchmarks: tenants and staff signed in
through the pages, their API token, and a sender who dribbles a request's body."""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request

from tests.conftest import STAFF_PASSWORD
from tests.integration.gunicorn_box import Visitor


def tenant(url: str, code: str, name: str, tls: ssl.SSLContext | None = None) -> Visitor:
    visitor = Visitor(url, tls)
    visitor.post_form("/welcome", {"code": code}, "/welcome")
    status, _html = visitor.post_form(
        "/welcome/join",
        {"display_name": name, "locale": "fr", "pin": "2468", "pin_confirm": "2468"},
        "/welcome/join",
    )
    assert status == 302
    return visitor


def cookie(visitor: Visitor) -> str:
    jar = next(h.cookiejar for h in visitor.opener.handlers if hasattr(h, "cookiejar"))
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def api_token(visitor: Visitor) -> str:
    return json.loads(visitor.get("/api/v1/session")[1])["csrf_token"]


class SlowSender:
    """A signed-in person who starts a JSON change and sends its body a byte a second."""

    def __init__(self, url: str, visitor: Visitor, path: str = "/api/v1/me") -> None:
        address = urllib.parse.urlsplit(url)
        self.sock = socket.create_connection((address.hostname, address.port))
        self.sock.settimeout(30)
        # The token first: asking for it may renew the session's cookie.
        token = api_token(visitor)
        head = (
            f"PATCH {path} HTTP/1.1\r\n"
            f"Host: {address.netloc}\r\n"
            f"Cookie: {cookie(visitor)}\r\n"
            f"X-CSRFToken: {token}\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 200\r\n\r\n{"
        )
        self.sock.sendall(head.encode())
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._dribble, daemon=True)
        self.thread.start()

    def _dribble(self) -> None:
        while not self.stop.wait(1.0):
            try:
                self.sock.sendall(b" ")
            except OSError:
                return

    def answer(self) -> bytes:
        """What the box answered, once it cut the sender off (or in 30 s)."""
        try:
            return self.sock.recv(4096)
        except OSError:
            return b""

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def change_language(
    visitor: Visitor, token: str, locale: str, path: str = "/api/v1/me"
) -> tuple[int, float]:
    started = time.monotonic()
    request = urllib.request.Request(
        visitor.base_url + path,
        data=json.dumps({"locale": locale}).encode(),
        method="PATCH",
        headers={"Content-Type": "application/json", "X-CSRFToken": token},
    )
    try:
        status, _body = visitor._open(request)
    except OSError:
        status = 0
    return status, time.monotonic() - started


def staff(url: str, username: str, tls: ssl.SSLContext | None = None) -> Visitor:
    visitor = Visitor(url, tls)
    status, _html = visitor.post_form(
        "/staff/sign-in", {"username": username, "password": STAFF_PASSWORD}, "/staff/sign-in"
    )
    assert status == 302
    return visitor
