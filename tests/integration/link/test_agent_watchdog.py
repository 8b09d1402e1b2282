"""The box agent under systemd's watchdog: ready once its database answers, alive while its
loop turns.

The real ``residacoeur box link`` runs with NOTIFY_SOCKET pointing at a socket the test
holds, as systemd would start it with ``Type=notify`` and ``WatchdogSec=``.
"""

from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path

from tests.support.link_processes import link_processes
from tests.support.linked import Linked
from tests.support.mosquitto import Broker
from tests.support.notify_socket import NotifySocket

PING = "WATCHDOG=1"


def _silent(notify: NotifySocket) -> list[str]:
    # A ping already on its way when the loop stopped may still come.
    notify.during(1.0)
    return notify.during(2.0)


def test_ready_without_the_broker_and_silent_when_stopped(
    linked: Linked, broker: Broker, tmp_path: Path
):
    # A box whose network is down still runs: it is ready once its database answers.
    broker.stop()
    with NotifySocket() as notify, link_processes(linked, tmp_path / "processes") as processes:
        agent = processes.box_agent(env=notify.environment())
        assert notify.wait_for("READY=1", timeout=60) == []
        assert agent.connections() == 0
        assert notify.during(2.0).count(PING) >= 3

        os.kill(agent.pid, signal.SIGSTOP)
        try:
            assert PING not in _silent(notify)
        finally:
            os.kill(agent.pid, signal.SIGCONT)
        notify.wait_for(PING, timeout=5)

        broker.start()
        agent.wait_connected(1)
        assert notify.during(2.0).count(PING) >= 3


def test_a_loop_held_up_stops_the_pings_while_the_rest_goes_on(
    linked: Linked, broker: Broker, tmp_path: Path
):
    broker.stop()
    with NotifySocket() as notify, link_processes(linked, tmp_path / "processes") as processes:
        agent = processes.box_agent(env=notify.environment())
        notify.wait_for("READY=1", timeout=60)
        # Another writer holds the database: the hello the agent writes on connecting
        # waits for it, and the loop with it, while the network thread connects.
        holder = sqlite3.connect(linked.box.url.database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            broker.start()
            agent.wait_connected(1)
            assert PING not in _silent(notify)
            assert agent.running
        finally:
            holder.execute("COMMIT")
            holder.close()
        assert notify.during(2.0).count(PING) >= 3
