"""One person cannot hold the box's database: slow senders, readers of one conversation,
a storm of tabs — everyone else's requests keep answering.

Each runs against the real web service (``residacoeur box web`` under gunicorn) on its
SQLite database, as on a box.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import select, update

from core.domain import conversations, people, side
from core.domain.clock import utcnow
from core.storage.engine import make_engine, writing
from core.storage.schema import profiles
from tests.conftest import build_estate
from tests.integration.gunicorn_box import RunningBox, Visitor
from tests.support.databases import postgres_database, postgres_url
from tests.support.web_visitors import SlowSender, api_token, change_language, staff, tenant

# Far longer than any write of the box takes, far shorter than SQLite's busy timeout (10 s)
# that a request waiting for a held lock would use up.
ANSWER_S = 5.0


@pytest.fixture
def running_box(data_dir, small_estate):
    box = RunningBox(data_dir, workers=2, env={"RESIDACOEUR_BODY_SECONDS": "4"})
    yield box
    box.stop()


def test_a_tenant_sending_slowly_holds_up_nobody_else_s_writes(running_box, small_estate):
    slow = tenant(running_box.url, small_estate.codes["A-01"], "Lent")
    other = tenant(running_box.url, small_estate.codes["A-02"], "Odette")
    token = api_token(other)
    sender = SlowSender(running_box.url, slow)
    try:
        answers = []
        # Longer than SQLite's busy timeout: a lock held by the slow sender would show.
        deadline = time.monotonic() + 12
        while time.monotonic() < deadline:
            answers.append(change_language(other, token, "en" if len(answers) % 2 else "fr"))
        assert all(status == 200 for status, _took in answers), answers
        assert max(took for _status, took in answers) < ANSWER_S
        # The slow sender itself is cut off with a clear answer, not kept for ever.
        assert sender.answer().startswith(b"HTTP/1.1 408")
    finally:
        sender.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def running_hub(request, data_dir, engine, small_estate, pepper):
    """The hub's web service under gunicorn, on SQLite or on PostgreSQL, over the estate."""
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            hub_engine = engine
        else:
            template = request.getfixturevalue("postgres_template")
            name = stack.enter_context(postgres_database(template))
            hub_engine = make_engine(postgres_url(name))
            stack.callback(hub_engine.dispose)
            with writing(hub_engine) as connection:
                build_estate(connection, pepper)
        with writing(hub_engine) as connection:
            side.become_hub(connection)
        hub = RunningBox(
            data_dir,
            workers=2,
            env={"RESIDACOEUR_BODY_SECONDS": "4", "RESIDACOEUR_DATABASE_URL": str(hub_engine.url)},
            place="hub",
        )
        yield hub
        hub.stop()


def test_a_staff_member_sending_slowly_holds_up_no_one_at_the_hub(running_hub):
    slow = staff(running_hub.url, "boulanger")
    other = staff(running_hub.url, "agent")
    token = api_token(other)
    sender = SlowSender(running_hub.url, slow, "/api/v1/session")
    try:
        answers = []
        deadline = time.monotonic() + 12
        while time.monotonic() < deadline:
            locale = "en" if len(answers) % 2 else "fr"
            answers.append(change_language(other, token, locale, "/api/v1/session"))
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
    first = tenant(running_box.url, small_estate.codes["A-01"], "Odette")
    tenant(running_box.url, small_estate.codes["A-02"], "Marcel")
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
        tenant(running_box.url, small_estate.codes[reference], "Jeanne")
