"""A neighbour flooding the hub with junk does not hold up a box's reports.

The hub and the real box run as the machine runs them (``hub ingest``, ``box link``); a
process holding another enrolled box's credentials publishes junk of every kind as fast
as the broker takes it (``tests/support/flood.py``) while the box files its reports. The
box's reports must all reach the hub, each exactly once, without waiting for the hub to
get through the junk, and the ingest must stay up. How long they take is measured by
``bench/link_flood.py``, not here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.domain import side
from core.storage.engine import writing
from core.storage.schema import outbox, peers, quarantine
from core.storage.schema import reports as report_table
from link.mqtt_link import BrokerAccess, wait_until
from provisioning.enrolment import enrol_box
from tests.support.flood import Flooder
from tests.support.link_processes import LinkProcesses, link_processes
from tests.support.linked import BOX_ID, Linked, file_reports
from tests.support.mosquitto import HOST

NEIGHBOUR = "box-voisine"
REPORTS = 100
FLOOD_S = 10.0
# Long enough for any answer on a busy machine, far too short for a hub that applies the
# whole flood's junk before the box's reports behind it.
WAIT = 60.0


@pytest.fixture
def processes(linked: Linked, tmp_path: Path) -> Iterator[LinkProcesses]:
    with link_processes(linked, tmp_path / "logs") as running:
        yield running


@pytest.fixture
def neighbour(linked: Linked) -> BrokerAccess:
    """How someone holding another enrolled box's credentials signs in."""
    with writing(linked.hub) as connection:
        enrolment = enrol_box(
            connection, linked.broker.files.passwords, NEIGHBOUR, "La Voisine", [], {}
        )
    linked.broker.reload()
    return BrokerAccess(
        HOST,
        linked.broker.tls_port,
        NEIGHBOUR,
        enrolment["password"],
        NEIGHBOUR,
        str(linked.broker.ca_path),
    )


def _count(engine, table, *where) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table).where(*where)).scalar()


def _cursor(engine, peer_id: str, column) -> int:
    with engine.connect() as connection:
        return connection.execute(select(column).where(peers.c.id == peer_id)).scalar()


def test_a_box_s_reports_arrive_once_while_a_neighbour_floods_the_hub(
    linked, estate, processes, neighbour
):
    ingest = processes.hub_ingest()
    processes.box_agent()
    processes.wait_connected()
    flooder = Flooder(neighbour, FLOOD_S)
    try:
        flooder.start()
        filed = file_reports(linked, estate, REPORTS, FLOOD_S)
        assert wait_until(lambda: _count(linked.box, outbox) == 0, WAIT)
    finally:
        sent = flooder.stop()
    with linked.hub.connect() as connection:
        arrived = set(connection.execute(select(report_table.c.id)).scalars())
    assert filed <= arrived
    # Each of the box's numbered messages applied once: the hub's cursor is the box's last
    # number, and nothing of the box was kept aside.
    assert _cursor(linked.hub, BOX_ID, peers.c.applied_seq) == _cursor(
        linked.box, side.HUB, peers.c.sent_seq
    )
    assert _count(linked.hub, quarantine, quarantine.c.box_id == BOX_ID) == 0
    assert sent["messages"] > 0 and _count(linked.hub, quarantine) > 0
    assert ingest.running and "Traceback" not in ingest.log()
    assert "received messages dropped" in ingest.log()
