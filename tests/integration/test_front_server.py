"""The box behind its front server: nginx from Debian in front of gunicorn's Unix socket.

Each test runs the real `residacoeur box front` and `residacoeur box web` commands.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import socket
import ssl
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from core import box_certificate
from core.storage.engine import make_engine
from core.storage.schema import audit_log
from tests.conftest import STAFF_PASSWORD
from tests.integration.gunicorn_box import RunningBox, Visitor
from tests.support.authority_chain import chain_for
from tests.support.front_server import FrontedBox
from tests.support.web_visitors import staff

LIMIT = 4
WRONG_CODE = "K7QM-4RZT-9XPD"


@pytest.fixture
def fronted(data_dir, small_estate):
    box = FrontedBox(data_dir, env={"RESIDACOEUR_LOGIN_ATTEMPTS_PER_ADDRESS": str(LIMIT)})
    yield box
    box.stop()


def _connection(box: FrontedBox, tls: ssl.SSLContext | None = None) -> http.client.HTTPSConnection:
    return http.client.HTTPSConnection("localhost", box.https_port, context=tls or box.tls())


def _get(connection: http.client.HTTPConnection, path: str, **headers: str):
    connection.request("GET", path, headers=headers)
    answer = connection.getresponse()
    return answer, answer.read()


def _stylesheet(box: FrontedBox) -> str:
    connection = _connection(box)
    _answer, page = _get(connection, "/welcome")
    connection.close()
    start = page.index(b"/static/css/portal.")
    return page[start : page.index(b'"', start)].decode()


def test_pages_come_over_https_with_http2_offered_and_connections_kept(fronted):
    tls = fronted.tls()
    tls.set_alpn_protocols(["h2", "http/1.1"])
    with (
        socket.create_connection(("localhost", fronted.https_port)) as raw,
        tls.wrap_socket(raw, server_hostname="localhost") as secured,
    ):
        assert secured.selected_alpn_protocol() == "h2"

    connection = _connection(fronted)
    first, page = _get(connection, "/welcome")
    used = connection.sock
    second, _page = _get(connection, "/help")
    assert first.status == 200 and b'lang="fr"' in page
    assert second.status == 200
    # The same connection served both: keep-alive through to the web service.
    assert connection.sock is used
    connection.close()


def test_static_files_come_from_disk_compressed_and_kept_a_year_while_the_web_is_down(fronted):
    stylesheet = _stylesheet(fronted)
    fronted.kill_web()
    connection = _connection(fronted)

    for encoding in ("br", "gzip"):
        answer, body = _get(connection, stylesheet, **{"Accept-Encoding": encoding})
        assert answer.status == 200
        assert answer.getheader("Content-Encoding") == encoding
        assert answer.getheader("Cache-Control") == "public, max-age=31536000, immutable"
        assert answer.getheader("Content-Type") == "text/css"
        assert len(body) > 1000

    answer, page = _get(connection, "/welcome")
    assert answer.status == 502
    assert "Le portail redémarre" in page.decode()
    assert "Revenez en arrière" in page.decode()
    assert "The portal is restarting" in page.decode()
    assert answer.getheader("Retry-After") == "30"


def test_a_client_naming_other_addresses_is_still_limited_as_itself(fronted, small_estate):
    statuses = []
    for attempt in range(LIMIT + 2):
        visitor = Visitor(fronted.https_url, fronted.tls())
        # Each try claims to come from elsewhere: nginx replaces the claim with the truth.
        visitor.opener.addheaders.append(("X-Forwarded-For", f"203.0.113.{attempt}"))
        visitor.opener.addheaders.append(("X-Real-IP", f"198.51.100.{attempt}"))
        status, _body = visitor.post_form("/welcome", {"code": WRONG_CODE}, "/welcome")
        statuses.append(status)
    assert statuses == [422] * LIMIT + [429, 429]


def _signed_in_from(data_dir: Path) -> list[str]:
    engine = make_engine(f"sqlite:///{data_dir / 'box.sqlite3'}")
    with engine.connect() as connection:
        rows = connection.execute(
            select(audit_log.c.detail).where(audit_log.c.action == "staff.sign_in")
        ).scalars()
        addresses = [json.loads(detail)["address"] for detail in rows]
    engine.dispose()
    return addresses


def test_the_address_behind_the_front_server_is_the_client_s_own(fronted, data_dir):
    visitor = Visitor(fronted.https_url, fronted.tls())
    visitor.opener.addheaders.append(("X-Forwarded-For", "203.0.113.7"))
    status, _html = visitor.post_form(
        "/staff/sign-in", {"username": "gardien", "password": STAFF_PASSWORD}, "/staff/sign-in"
    )
    assert status == 302
    assert _signed_in_from(data_dir) == ["127.0.0.1"]


def test_a_web_service_on_a_port_believes_no_forwarded_header(data_dir, small_estate):
    box = RunningBox(data_dir, workers=1)
    try:
        visitor = Visitor(box.url)
        visitor.opener.addheaders.append(("X-Forwarded-For", "203.0.113.7"))
        visitor.opener.addheaders.append(("X-Forwarded-Proto", "https"))
        status, _html = visitor.post_form(
            "/staff/sign-in",
            {"username": "gardien", "password": STAFF_PASSWORD},
            "/staff/sign-in",
        )
        assert status == 302
        assert _signed_in_from(data_dir) == ["127.0.0.1"]
    finally:
        box.stop()


def test_cookies_are_secure_over_https_and_not_over_plain_http(fronted):
    over_https = staff(fronted.https_url, "gardien", fronted.tls())
    over_http = staff(fronted.http_url, "gardien")

    def jar(visitor: Visitor):
        return next(h.cookiejar for h in visitor.opener.handlers if hasattr(h, "cookiejar"))

    assert {cookie.secure for cookie in jar(over_https)} == {True}
    assert {cookie.secure for cookie in jar(over_http)} == {False}


def test_slow_senders_hold_none_of_the_web_service_s_threads(fronted, small_estate):
    # Twice as many as the web service has threads (2 workers × 2 threads).
    senders = [_SlowBody(fronted) for _ in range(8)]
    try:
        time.sleep(1)
        started = time.monotonic()
        connection = _connection(fronted)
        answer, _page = _get(connection, "/welcome")
        assert answer.status == 200
        assert time.monotonic() - started < 3
    finally:
        for sender in senders:
            sender.close()


class _SlowBody:
    """A client that starts a form's body and sends a byte a second."""

    def __init__(self, box: FrontedBox):
        self.sock = socket.create_connection(("127.0.0.1", box.http_port))
        self.sock.sendall(
            b"POST /welcome HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\n"
        )
        self.stop = threading.Event()
        threading.Thread(target=self._dribble, daemon=True).start()

    def _dribble(self) -> None:
        while not self.stop.wait(1.0):
            try:
                self.sock.sendall(b"a")
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def test_plain_http_goes_to_https_once_a_trusted_certificate_is_in(fronted, data_dir, tmp_path):
    plain = Visitor(fronted.http_url)
    assert plain.get("/welcome")[0] == 200

    chain, root = chain_for(data_dir, "localhost")
    box_certificate.install_chain(data_dir, chain)
    assert box_certificate.reload_front_server(data_dir)

    (tmp_path / "root.pem").write_bytes(root)
    trusting = ssl.create_default_context(cafile=str(tmp_path / "root.pem"))
    deadline = time.monotonic() + 10
    while True:
        try:
            connection = _connection(fronted, trusting)
            answer, _page = _get(connection, "/welcome")
            break
        except ssl.SSLCertVerificationError:
            # Until the new workers of the reload take connections.
            assert time.monotonic() < deadline
            time.sleep(0.2)
    assert answer.status == 200

    connection = http.client.HTTPConnection("localhost", fronted.http_port)
    answer, _body = _get(connection, "/report?step=2")
    assert answer.status == 307
    assert answer.getheader("Location") == f"https://localhost:{fronted.https_port}/report?step=2"
    # The supervisor's and monitoring's probes still answer over plain HTTP.
    answer, _body = _get(connection, "/readyz")
    assert answer.status == 200
    # Asked for by the box's address, which the certificate does not name: served as asked.
    by_address = http.client.HTTPConnection("127.0.0.1", fronted.http_port)
    answer, _body = _get(by_address, "/welcome")
    assert answer.status == 200


def test_a_download_under_way_goes_on_through_a_reload(fronted, data_dir):
    static_dir = data_dir / "static"
    big = static_dir / "poster.0123456789ab.png"
    big.write_bytes(os.urandom(24 * 1024 * 1024))
    old_workers = fronted.nginx_pids() - {fronted.front.pid}
    connection = _connection(fronted)
    connection.request("GET", "/static/poster.0123456789ab.png")
    answer = connection.getresponse()
    received = answer.read(1024 * 1024)

    chain, _root = chain_for(data_dir, "localhost")
    box_certificate.install_chain(data_dir, chain)
    assert box_certificate.reload_front_server(data_dir)
    deadline = time.monotonic() + 10
    while not (fronted.nginx_pids() - {fronted.front.pid}) - old_workers:
        assert time.monotonic() < deadline, "no new nginx workers after the reload"
        time.sleep(0.1)

    received += answer.read()
    assert len(received) == big.stat().st_size


def test_the_live_path_carries_websockets_to_the_box_s_own_services(fronted):
    ready = threading.Event()
    server_thread = threading.Thread(
        target=asyncio.run,
        args=(_echo_service(fronted.run_dir / "rooms.sock", ready),),
        daemon=True,
    )
    server_thread.start()
    assert ready.wait(5)

    tls = fronted.tls()
    with (
        socket.create_connection(("localhost", fronted.https_port)) as raw,
        tls.wrap_socket(raw, server_hostname="localhost") as secured,
    ):
        secured.sendall(
            b"GET /live/rooms/cafe HTTP/1.1\r\nHost: localhost\r\n"
            b"Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
        )
        head = secured.recv(4096)
        assert head.startswith(b"HTTP/1.1 101")
        secured.sendall(b"hello")
        assert secured.recv(100) == b"hello"


async def _echo_service(path: Path, ready: threading.Event) -> None:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
        )
        writer.write(await reader.read(100))
        await writer.drain()
        await asyncio.sleep(1)
        writer.close()

    server = await asyncio.start_unix_server(answer, path=str(path))
    ready.set()
    async with server:
        await asyncio.sleep(10)


def test_a_web_service_on_a_port_cannot_have_a_front_server(data_dir):
    from click.testing import CliRunner

    from appliance.cli import main

    result = CliRunner().invoke(
        main,
        ["box", "front", "--data-dir", str(data_dir)],
        env={"RESIDACOEUR_BIND": "127.0.0.1:8000"},
    )
    assert result.exit_code == 1
    assert "Unix socket" in result.output
