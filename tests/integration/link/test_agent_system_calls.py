"""The box agent under the system-call rules of its unit (tests/support/unit_sandbox.py):
it connects to the broker over TLS, says hello and carries a report to the hub."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from core.domain import outbox, side
from tests.support import unit_sandbox
from tests.support.link_processes import link_processes
from tests.support.linked import Linked, file_reports
from tests.support.notify_socket import NotifySocket

UNIT = Path(__file__).resolve().parents[3] / "image-build/systemd/residacoeur-link.service"

pytestmark = pytest.mark.skipif(
    unit_sandbox.usable() is not None, reason=str(unit_sandbox.usable())
)


def test_the_agent_links_the_box_under_its_rules(linked: Linked, estate, tmp_path: Path):
    with NotifySocket() as notify, link_processes(linked, tmp_path / "processes") as processes:
        agent = processes.box_agent(env=notify.environment(), unit=UNIT)
        ingest = processes.hub_ingest()
        notify.wait_for("READY=1", timeout=60)
        processes.wait_connected()
        file_reports(linked, estate, 1)
        deadline = time.monotonic() + 30
        while not _outbox_empty(linked):
            assert time.monotonic() < deadline, agent.log()
            time.sleep(0.1)
        notify.wait_for("WATCHDOG=1", timeout=5)
        assert agent.running and ingest.running
    assert "Operation not permitted" not in agent.log()


def _outbox_empty(linked: Linked) -> bool:
    with linked.box.connect() as connection:
        return outbox.depth(connection, side.HUB) == 0
