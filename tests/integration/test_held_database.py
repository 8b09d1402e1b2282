"""One person cannot hold the box's database: slow senders, readers of one conversation,
a storm of tabs — everyone else's requests keep answering.

Each runs against the real web service (``residacoeur box web`` under gunicorn) on its
SQLite database, as on a box.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections import Counter

import psycopg
import pytest
from sqlalchemy import select, update

from appliance.domain import conversations, link, people
from appliance.domain.clock import utcnow
from appliance.storage import migrations
from appliance.storage.engine import make_engine, writing
from appliance.storage.schema import profiles
from tests.conftest import STAFF_PASSWORD, build_estate
from tests.integration.gunicorn_box import RunningBox, Visitor

# Far longer than any write of the box takes, far shorter than SQLite's busy timeout (10 s)
# that a request waiting for a held lock would use up.
ANSWER_S = 5.0


@pytest.fixture
def running_box(data_dir, small_estate):
    box = RunningBox(data_dir, workers=2, env={"RESIDACOEUR_BODY_SECONDS": "4"})
    yield box
    box.stop()


def _tenant(url: str, code: str, name: str) -> Visitor:
    visitor = Visitor(url)
    visitor.post_form("/welcome", {"code": code}, "/welcome")
    status, _html = visitor.post_form(
        "/welcome/join",
        {"display_name": name, "locale": "fr", "pin": "2468", "pin_confirm": "2468"},
        "/welcome/join",
    )
    assert status == 302
    return visitor


def _cookie(visitor: Visitor) -> str:
    jar = next(h.cookiejar for h in visitor.opener.handlers if hasattr(h, "cookiejar"))
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def _api_token(visitor: Visitor) -> str:
    return json.loads(visitor.get("/api/v1/session")[1])["csrf_token"]


class SlowSender:
    """A signed-in person who starts a JSON change and sends its body a byte a second."""

    def __init__(self, url: str, visitor: Visitor, path: str = "/api/v1/me") -> None:
        address = urllib.parse.urlsplit(url)
        self.sock = socket.create_connection((address.hostname, address.port))
        self.sock.settimeout(30)
        # The token first: asking for it may renew the session's cookie.
        token = _api_token(visitor)
        head = (
            f"PATCH {path} HTTP/1.1\r\n"
            f"Host: {address.netloc}\r\n"
            f"Cookie: {_cookie(visitor)}\r\n"
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


def _change_language(
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


def test_a_tenant_sending_slowly_holds_up_nobody_else_s_writes(running_box, small_estate):
    slow = _tenant(running_box.url, small_estate.codes["A-01"], "Lent")
    other = _tenant(running_box.url, small_estate.codes["A-02"], "Odette")
    token = _api_token(other)
    sender = SlowSender(running_box.url, slow)
    try:
        answers = []
        # Longer than SQLite's busy timeout: a lock held by the slow sender would show.
        deadline = time.monotonic() + 12
        while time.monotonic() < deadline:
            answers.append(_change_language(other, token, "en" if len(answers) % 2 else "fr"))
        assert all(status == 200 for status, _took in answers), answers
        assert max(took for _status, took in answers) < ANSWER_S
        # The slow sender itself is cut off with a clear answer, not kept for ever.
        assert sender.answer().startswith(b"HTTP/1.1 408")
    finally:
        sender.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def running_hub(request, data_dir, engine, small_estate, pepper):
    """The hub's web service under gunicorn, on SQLite or on PostgreSQL, over the estate."""
    if request.param == "sqlite":
        url = str(engine.url)
        with writing(engine) as connection:
            link.become_hub(connection)
    else:
        url = _postgresql_estate(request, pepper)
    hub = RunningBox(
        data_dir,
        workers=2,
        env={"RESIDACOEUR_BODY_SECONDS": "4", "RESIDACOEUR_DATABASE_URL": url},
        place="hub",
    )
    yield hub
    hub.stop()


def _postgresql_estate(request, pepper: str) -> str:
    """A database of its own on the machine's PostgreSQL with the small estate, dropped at
    the end of the test; return its URL."""
    name = f"residacoeur_test_{uuid.uuid4().hex[:12]}"
    server = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=5"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')

    request.addfinalizer(drop)
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    engine = make_engine(url)
    migrations.upgrade(engine)
    with writing(engine) as connection:
        build_estate(connection, pepper)
        link.become_hub(connection)
    engine.dispose()
    return url


def _staff(url: str, username: str) -> Visitor:
    visitor = Visitor(url)
    status, _html = visitor.post_form(
        "/staff/sign-in", {"username": username, "password": STAFF_PASSWORD}, "/staff/sign-in"
    )
    assert status == 302
    return visitor


def test_a_staff_member_sending_slowly_holds_up_no_one_at_the_hub(running_hub):
    slow = _staff(running_hub.url, "boulanger")
    other = _staff(running_hub.url, "agent")
    token = _api_token(other)
    sender = SlowSender(running_hub.url, slow, "/api/v1/session")
    try:
        answers = []
        deadline = time.monotonic() + 12
        while time.monotonic() < deadline:
            locale = "en" if len(answers) % 2 else "fr"
            answers.append(_change_language(other, token, locale, "/api/v1/session"))
        assert all(status == 200 for status, _took in answers), answers
        assert max(took for _status, took in answers) < ANSWER_S
        assert sender.answer().startswith(b"HTTP/1.1 408")
    finally:
        sender.close()


def _conversation(engine, writer_name: str, reader_name: str) -> str:
    """A message from one tenant to another; return the conversation."""
    with writing(engine) as connection:
        connection.execute(update(profiles).values(charter_accepted_at=utcnow()))
        ids = dict(connection.execute(select(profiles.c.display_name, profiles.c.id)).all())
        writer = people.get_profile(connection, ids[writer_name])
        return conversations.write(connection, writer, ids[reader_name], "Bonjour voisine !")


def test_two_readers_of_one_conversation_and_a_storm_of_tabs_break_nothing(
    running_box, small_estate, engine
):
    first = _tenant(running_box.url, small_estate.codes["A-01"], "Odette")
    _tenant(running_box.url, small_estate.codes["A-02"], "Marcel")
    conversation = _conversation(engine, "Marcel", "Odette")
    # The same person on a second device, reading the same pages at the same time.
    second = Visitor(running_box.url)
    second.opener = first.opener
    statuses: Counter[int] = Counter()

    def read(visitor: Visitor, path: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            statuses[visitor.get(path)[0]] += 1

    readers = [
        threading.Thread(target=read, args=(visitor, path, 5.0))
        for visitor in (first, second)
        for path in ("/", f"/messages/{conversation}", "/notifications")
    ]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert set(statuses) == {200}, statuses
    # Afterwards, everyone signs in and writes as before, whichever worker answers.
    for reference in ("A-03", "B-01"):
        _tenant(running_box.url, small_estate.codes[reference], "Jeanne")
