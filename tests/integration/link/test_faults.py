"""Nothing filed on a box is lost or applied twice, whatever fails on the way.

The link's real processes run as subprocesses (tests/support/link_processes.py). Each
test files a burst of 1,000 reports on the box, with tenants' messages and "me too", and
noticeboard posts with their answers, then answers every report at the hub; in the
middle of each flow a process is killed, the broker restarts, the hub stops or the
network is cut. At the end the hub holds each report and post once and the box each
answer once. Waits are long: a message lost in a crash goes again only after its
sender's resend delay (10 s).
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, func, select

from core.domain import (
    access_codes,
    charter,
    cursor,
    events,
    fleet,
    noticeboard,
    people,
    reports,
    side,
)
from core.domain import report_status as rs
from core.domain.clock import utcnow
from core.secrets import ensure_secrets
from core.storage.engine import make_engine, writing
from core.storage.schema import (
    boxes,
    buildings,
    dwellings,
    event_rsvps,
    outbox,
    peers,
    post_comments,
    posts,
    publishers,
    quarantine,
    report_events,
    report_messages,
    report_supporters,
    residences,
    staff,
    staff_buildings,
)
from core.storage.schema import events as event_table
from core.storage.schema import reports as report_table
from link import mqtt_link, settings
from tests.conftest import PIN
from tests.support.databases import postgres_database, postgres_url
from tests.support.link_processes import (
    BoxNetwork,
    LinkProcess,
    LinkProcesses,
    link_processes,
    netns_usable,
)
from tests.support.linked import BOX_ID, Linked

REPORTS = 1000
# The first fault of a flow strikes once the other side has this many of its items, the
# second at the next figure: both while more are on their way.
FAULTS_AT = (200, 500)
# Long enough for two resend rounds and a reconnection after a crash on a busy machine.
WAIT = 90.0
# Beyond the link's keepalive (30 s, link/mqtt_link.py).
PARTITION_S = 32.0
# What an enrolment takes for granted at the hub: the estate it serves, and its staff.
ESTATE_TABLES = (residences, buildings, dwellings, publishers, staff, staff_buildings)


@pytest.fixture
def processes(linked: Linked, tmp_path: Path) -> Iterator[LinkProcesses]:
    # Printed so that a failing test shows where the processes' logs are.
    print(f"logs of the link's processes: {tmp_path / 'logs'}")
    with link_processes(linked, tmp_path / "logs") as running:
        yield running


@pytest.fixture
def linked_to_postgres(linked: Linked, _estate_template, postgres_template) -> Iterator[Linked]:
    """``linked`` with the hub's database on PostgreSQL: the estate copied, the box enrolled.

    The box keeps the broker credentials ``linked`` gave it; only the hub's rows move.
    """
    template, _place = _estate_template
    with postgres_database(postgres_template) as name:
        hub = make_engine(postgres_url(name))
        source = make_engine(f"sqlite:///{template}")
        try:
            with source.connect() as rows, writing(hub) as connection:
                for table in ESTATE_TABLES:
                    copied = [dict(row) for row in rows.execute(select(table)).mappings()]
                    if copied:
                        connection.execute(table.insert(), copied)
                side.become_hub(connection)
                building_ids = list(rows.execute(select(buildings.c.id)).scalars())
                fleet.enrol(connection, BOX_ID, "Les Tilleuls", building_ids)
            yield dataclasses.replace(linked, hub=hub)
        finally:
            source.dispose()
            hub.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_hub(request, linked: Linked) -> Linked:
    """``linked`` with its hub on SQLite, then on PostgreSQL."""
    if request.param == "sqlite":
        return linked
    return request.getfixturevalue("linked_to_postgres")


def _count(engine: Engine, table, *where) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table).where(*where)).scalar()


def _eventually(
    condition: Callable[[], bool],
    what: str,
    progress: Callable[[], object],
    timeout: float = WAIT,
    step: float = 0.25,
) -> None:
    """Wait for ``condition``; on failure say how far things got (``progress``)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what} ({progress()})"
        time.sleep(step)


def _link_state(linked: Linked) -> str:
    with linked.box.connect() as box, linked.hub.connect() as hub:
        numbers = {
            "box → hub": (
                cursor.applied_seq(hub, BOX_ID),
                box.execute(select(peers.c.sent_seq).where(peers.c.id == side.HUB)).scalar(),
            ),
            "hub → box": (
                cursor.applied_seq(box, side.HUB),
                hub.execute(select(peers.c.sent_seq).where(peers.c.id == BOX_ID)).scalar(),
            ),
        }
    return ", ".join(f"{way}: {done} applied of {sent}" for way, (done, sent) in numbers.items())


class Paced(threading.Thread):
    """Does ``work`` for each item, a few per transaction, in a thread.

    Small transactions with a breath between them leave SQLite's write lock to the
    link's processes now and then, as a web service filing reports one at a time would.
    The pace (about 100 items a second at most) is more than a building's tenants could
    ever reach, and slower than the link: it drains in a moment what waited during a
    fault, so a flow that outlasts each fault and the reconnection after it is what lets
    the next fault strike while items are still on their way.
    """

    def __init__(
        self,
        engine: Engine,
        items: Iterable[Any],
        work: Callable[[Connection, Any], None],
        per_transaction: int = 10,
        pause: float = 0.1,
    ) -> None:
        super().__init__(daemon=True)
        self.engine = engine
        self.items = list(items)
        self.work = work
        self.per_transaction = per_transaction
        self.pause = pause
        self.done = 0
        self.error: BaseException | None = None

    @property
    def finished(self) -> bool:
        return not self.is_alive()

    def run(self) -> None:
        try:
            for start in range(0, len(self.items), self.per_transaction):
                chunk = self.items[start : start + self.per_transaction]
                with writing(self.engine) as connection:
                    for item in chunk:
                        self.work(connection, item)
                self.done += len(chunk)
                time.sleep(self.pause)
        except BaseException as error:
            self.error = error

    def finish(self) -> None:
        self.join(WAIT)
        assert not self.is_alive(), "the writer did not finish"
        if self.error is not None:
            raise self.error


@dataclass
class Filed:
    """What tenants did on the box during the burst."""

    report_ids: list[str] = field(default_factory=list)
    message_ids: list[str] = field(default_factory=list)
    supports: int = 0
    post_ids: list[str] = field(default_factory=list)
    comment_ids: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)


def _tenants(linked: Linked, estate) -> dict[str, dict[str, Any]]:
    pepper = ensure_secrets(linked.box_dir)["access_code_pepper"]
    tenants = {}
    with writing(linked.box) as connection:
        for reference in ("A-01", "A-02", "A-03", "B-01"):
            code = access_codes.find(connection, pepper, estate.codes[reference])
            profile_id = people.create_profile(
                connection, code["id"], estate.dwellings[reference], reference, "fr", PIN, PIN
            )
            charter.accept(connection, profile_id)
            tenants[reference] = people.get_profile(connection, profile_id)
    return tenants


def _burst(linked: Linked, estate) -> tuple[Paced, Filed]:
    """Reports to file on the box; every third gets a message from its author, every
    fourth (in building A's entrance hall) a neighbour's "me too", every fifth comes
    with a post for the residence and a neighbour's answer, every seventh with an event
    for the residence and a neighbour's reply."""
    tenants = _tenants(linked, estate)
    authors = ["A-01", "B-01", "A-03"]
    categories = list(reports.CATEGORIES)
    filed = Filed()

    def file_one(connection: Connection, number: int) -> None:
        author = tenants[authors[number % len(authors)]]
        location = "hall" if number % 2 == 0 else "dwelling"
        report_id = reports.file(
            connection,
            author,
            categories[number % len(categories)],
            location,
            f"Signalement {number} : la porte du hall claque toute la nuit.",
        )
        filed.report_ids.append(report_id)
        if number % 3 == 0:
            filed.message_ids.append(
                reports.add_tenant_message(connection, author, report_id, "Toujours pareil.")
            )
        if number % 4 == 0 and author["building_id"] == estate.building_a:
            filed.supports += reports.me_too(connection, tenants["A-02"], report_id)
        if number % 5 == 0:
            post_id = noticeboard.publish(
                connection, author, "information", "residence", f"Annonce {number}", "Texte"
            )
            filed.post_ids.append(post_id)
            filed.comment_ids.append(
                noticeboard.comment(connection, tenants["A-02"], post_id, "Merci !")
            )
        if number % 7 == 0:
            starts = utcnow() + timedelta(days=2)
            event_id = events.organise(
                connection,
                author,
                events.building_of(author),
                "residence",
                f"Rencontre {number}",
                "",
                "Salle commune",
                starts,
                starts + timedelta(hours=2),
            )
            events.reply(connection, tenants["A-02"], event_id, 2)
            filed.event_ids.append(event_id)

    return Paced(linked.box, range(REPORTS), file_one), filed


Fault = Callable[[], None]


def _strike(faults: list[Fault], flow: Paced, arrived: Callable[[], int], what: str) -> None:
    """Strike each fault while the flow is going through the link: the first while it is
    still being written, the next while some of it has yet to arrive."""
    for index, (fault, threshold) in enumerate(zip(faults, FAULTS_AT[: len(faults)], strict=True)):
        # Looked at often: the link drains a backlog of hundreds in a fraction of a second.
        _eventually(lambda t=threshold: arrived() >= t, f"{threshold} {what}", arrived, step=0.02)
        if index == 0:
            assert not flow.finished, f"all the {what} were written before the fault"
        assert arrived() < REPORTS, f"all the {what} had arrived before the fault"
        fault()


def _hub_reports(linked: Linked) -> int:
    return _count(linked.hub, report_table)


def _box_answers(linked: Linked) -> int:
    return _count(linked.box, report_events, report_events.c.status == rs.ACKNOWLEDGED)


def _ids(engine: Engine, column, *where) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(select(column).where(*where)).scalars())


def _assert_each_report_once_at_hub(linked: Linked, filed: Filed) -> None:
    _eventually(
        lambda: _count(linked.box, outbox) == 0,
        "the box's outbox empty",
        lambda: _link_state(linked),
    )
    assert len(filed.report_ids) == REPORTS
    hub_reports = _ids(linked.hub, report_table.c.id)
    assert len(hub_reports) == REPORTS
    assert set(hub_reports) == set(filed.report_ids)
    received = _ids(linked.hub, report_events.c.report_id, report_events.c.status == rs.RECEIVED)
    assert len(received) == REPORTS
    assert set(received) == set(filed.report_ids)
    hub_messages = _ids(linked.hub, report_messages.c.id)
    assert sorted(hub_messages) == sorted(filed.message_ids)
    assert _count(linked.hub, report_supporters) == filed.supports > 0
    assert sorted(_ids(linked.hub, posts.c.id)) == sorted(filed.post_ids)
    assert sorted(_ids(linked.hub, post_comments.c.id)) == sorted(filed.comment_ids)
    assert sorted(_ids(linked.hub, event_table.c.id)) == sorted(filed.event_ids)
    assert sorted(_ids(linked.hub, event_rsvps.c.event_id)) == sorted(filed.event_ids)
    assert _count(linked.hub, quarantine) == 0
    with linked.hub.connect() as hub, linked.box.connect() as box:
        assert (
            cursor.applied_seq(hub, BOX_ID)
            == box.execute(select(peers.c.sent_seq).where(peers.c.id == side.HUB)).scalar_one()
        )


def _answers(linked: Linked, estate, report_ids: list[str]) -> Paced:
    """Acknowledgements of every report to write at the hub, as the estate's agent."""
    with linked.hub.connect() as connection:
        agent = people.get_staff(connection, estate.staff["agent"])

    def answer(connection: Connection, report_id: str) -> None:
        reports.move(connection, agent, report_id, rs.ACKNOWLEDGED, "Nous nous en occupons.")

    return Paced(linked.hub, report_ids, answer)


def _assert_each_answer_once_on_box(linked: Linked, report_ids: list[str]) -> None:
    _eventually(
        lambda: _count(linked.hub, outbox) == 0,
        "the hub's outbox empty",
        lambda: _link_state(linked),
    )
    at_hub = _ids(linked.hub, report_events.c.id, report_events.c.status == rs.ACKNOWLEDGED)
    on_box = _ids(linked.box, report_events.c.id, report_events.c.status == rs.ACKNOWLEDGED)
    assert len(on_box) == len(at_hub) == REPORTS
    assert set(on_box) == set(at_hub)
    with linked.box.connect() as connection:
        timelines = connection.execute(
            select(report_events.c.report_id, func.count())
            .group_by(report_events.c.report_id)
            .having(func.count() != 2)
        ).all()
        statuses = connection.execute(
            select(report_table.c.status, func.count()).group_by(report_table.c.status)
        ).all()
    assert timelines == [], "every report on the box: received, then acknowledged once"
    assert statuses == [(rs.ACKNOWLEDGED, REPORTS)]
    assert _count(linked.box, quarantine) == 0


def _round_trip(
    linked: Linked, estate, burst_faults: list[Fault], answer_faults: list[Fault]
) -> None:
    """File the burst on the box with faults on the way, check the hub; answer every
    report at the hub with faults on the way, check the box."""
    burst, filed = _burst(linked, estate)
    burst.start()
    _strike(burst_faults, burst, lambda: _hub_reports(linked), "reports")
    burst.finish()
    _assert_each_report_once_at_hub(linked, filed)

    answering = _answers(linked, estate, filed.report_ids)
    answering.start()
    _strike(answer_faults, answering, lambda: _box_answers(linked), "answers")
    answering.finish()
    _assert_each_answer_once_on_box(linked, filed.report_ids)


def _crash_and_restart(process: LinkProcess) -> Fault:
    def fault() -> None:
        process.kill()
        process.start()

    return fault


def _assert_stopped_cleanly(*running: LinkProcess) -> None:
    for process in running:
        assert process.terminate() == 0, process.log()
        assert "Traceback" not in process.log(), process.log()


def _assert_one_connection(linked: Linked, agent: LinkProcess) -> None:
    """The box kept its connection: nothing on the hub's side is a reason to drop it."""
    assert agent.connections() == 1, agent.log()
    assert "Protocol error" not in linked.broker.log()


def test_box_agent_killed_mid_burst_and_mid_answers(linked, estate, processes):
    ingest, agent = processes.hub_ingest(), processes.box_agent()
    processes.wait_connected()
    _round_trip(linked, estate, [_crash_and_restart(agent)], [_crash_and_restart(agent)])
    _assert_stopped_cleanly(agent, ingest)


def test_broker_stopped_then_killed_mid_burst(linked, estate, processes):
    ingest, agent = processes.hub_ingest(), processes.box_agent()
    processes.wait_connected()
    broker = linked.broker

    def stopped() -> None:
        broker.stop()
        broker.start()

    def killed() -> None:
        # Killed, the broker loses what it held since its last save: the sessions and
        # queues of the link, which the outboxes hold again.
        broker.kill()
        broker.start()

    _round_trip(linked, estate, [stopped, killed], [_crash_and_restart(agent)])
    _assert_stopped_cleanly(agent, ingest)


def test_hub_ingest_stopped_a_while_then_killed_mid_burst(linked, estate, processes):
    ingest, agent = processes.hub_ingest(), processes.box_agent()
    processes.wait_connected()

    def away_a_while() -> None:
        ingest.terminate()
        # The box goes on sending; with no ingest subscribed the broker drops it all.
        time.sleep(5)
        ingest.start()

    _round_trip(
        linked, estate, [away_a_while, _crash_and_restart(ingest)], [_crash_and_restart(ingest)]
    )
    _assert_one_connection(linked, agent)
    _assert_stopped_cleanly(agent, ingest)


def test_two_ingest_processes_side_by_side(any_hub, estate, tmp_path):
    print(f"logs of the link's processes: {tmp_path / 'logs'}")
    with link_processes(any_hub, tmp_path / "logs") as processes:
        ingests = [processes.hub_ingest("1"), processes.hub_ingest("2")]
        agent = processes.box_agent()
        processes.wait_connected()
        _round_trip(any_hub, estate, [], [])
        _assert_one_connection(any_hub, agent)
        _assert_stopped_cleanly(agent, *ingests)


def test_partition_between_box_and_hub(linked, estate, processes):
    why_not = netns_usable()
    if why_not:
        pytest.skip(f"no network namespace for the box here: {why_not}")
    network = BoxNetwork(linked)
    try:
        ingest = processes.hub_ingest()
        agent = processes.box_agent(netns=network.name)
        processes.wait_connected()

        def partition() -> None:
            network.cut()
            time.sleep(PARTITION_S)
            network.restore()

        _round_trip(linked, estate, [partition], [])
        # The link dropped for good during the cut (the broker sent the box's last will),
        # and the box came back.
        assert agent.connections() == 2, agent.log()
        assert _count(linked.hub, boxes, boxes.c.id == BOX_ID, boxes.c.online.is_(True)) == 1
        _assert_stopped_cleanly(agent, ingest)
    finally:
        network.close()


def test_reconnection_waits_start_over_after_each_connection(linked, monkeypatch):
    """After a connection that worked, the next drop waits as little as the first did.

    The waits are random; what they are drawn from is the attempt number, recorded here
    with no waiting, across broker restarts that each cost the link one connection.
    """
    attempts: list[int] = []

    def no_wait(attempt: int) -> float:
        attempts.append(attempt)
        return 0.01

    monkeypatch.setattr(mqtt_link, "backoff", no_wait)
    connections = threading.Semaphore(0)
    access = settings.access(linked.hub_settings, "hub-ingest-probe")
    probe = mqtt_link.MqttLink(access, [], on_connected=connections.release)
    probe.start()
    try:
        for _restart in range(3):
            assert connections.acquire(timeout=WAIT)
            attempts.append(-1)
            linked.broker.stop()
            linked.broker.start()
        assert connections.acquire(timeout=WAIT)
    finally:
        probe.stop()
    # -1 marks a restart: the first wait after each is the first of a series.
    after_restarts = [attempts[i + 1] for i, a in enumerate(attempts) if a == -1]
    assert after_restarts == [0, 0, 0], attempts


def test_hub_on_postgresql_through_crashes(linked_to_postgres, estate, tmp_path):
    print(f"logs of the link's processes: {tmp_path / 'logs'}")
    with link_processes(linked_to_postgres, tmp_path / "logs") as processes:
        ingest, agent = processes.hub_ingest(), processes.box_agent()
        processes.wait_connected()
        _round_trip(
            linked_to_postgres, estate, [_crash_and_restart(agent)], [_crash_and_restart(ingest)]
        )
        _assert_stopped_cleanly(agent, ingest)
