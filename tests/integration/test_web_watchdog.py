"""The web service under systemd's watchdog: ready once it answers, alive while it does.

The real ``residacoeur box web`` runs with NOTIFY_SOCKET pointing at a socket the test
holds, as systemd would start it with ``Type=notify`` and ``WatchdogSec=``.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from tests.integration.gunicorn_box import RunningBox, Visitor
from tests.support.notify_socket import NotifySocket

PING = "WATCHDOG=1"


def _stopped(pids: set[int]):
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)


def _continued(pids: set[int]):
    for pid in pids:
        os.kill(pid, signal.SIGCONT)


def _silent(notify: NotifySocket) -> list[str]:
    # A ping already on its way when the processes stopped may still come.
    notify.during(1.0)
    return notify.during(2.0)


def test_ready_once_it_answers_then_alive_only_while_workers_answer(tmp_path: Path):
    with NotifySocket() as notify:
        box = RunningBox(tmp_path / "box", workers=2, env=notify.environment(), wait_ready=False)
        try:
            # First words, after the secrets and the migrations of a new data folder:
            # gunicorn's own "READY=1\nSTATUS=…", said as soon as it listens, is not.
            assert notify.wait_for("READY=1", timeout=60) == []
            assert Visitor(box.url).get("/readyz")[0] == 200
            assert notify.during(2.0).count(PING) >= 3

            workers = box.worker_pids(2)
            assert len(workers) == 2

            # The master goes on, but no worker answers: systemd hears nothing more.
            _stopped(workers)
            try:
                assert PING not in _silent(notify)
            finally:
                _continued(workers)
            notify.wait_for(PING, timeout=5)

            # The master itself stuck: nothing either.
            _stopped({box.process.pid})
            try:
                assert PING not in _silent(notify)
            finally:
                _continued({box.process.pid})
            notify.wait_for(PING, timeout=5)
        finally:
            box.stop()


def test_without_systemd_nothing_is_sent(tmp_path: Path):
    with NotifySocket() as notify:
        # The socket exists, but the service is not told of it.
        box = RunningBox(tmp_path / "box", workers=1)
        try:
            assert Visitor(box.url).get("/healthz")[0] == 200
            assert notify.during(1.5) == []
        finally:
            box.stop()
