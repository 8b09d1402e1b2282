"""What gunicorn's master tells systemd: ready once the web service answers, alive while it does.

A thread of the master asks the service, through the socket it listens on, as the front
server would: ``/readyz`` until it answers 200 (secrets made, database migrated and
reachable), then READY=1; then ``/healthz`` twice per ping period, and WATCHDOG=1 after
an answer. So the pings stop when no worker answers any more (all of them stuck, or the
master unable to start new ones) or when the master itself is stuck, and systemd
restarts the service after ``WatchdogSec``. gunicorn already replaces one worker that
stops reporting to the master (its ``timeout``); while another worker answers, the
service still serves and is left alone. ``/healthz`` leaves the database out: a database
held by someone else is not mended by a restart.
"""

from __future__ import annotations

import logging
import socket
import threading
from typing import Any

from appliance.systemd_notify import SystemdNotifier

log = logging.getLogger(__name__)

READY_EVERY_S = 0.2
# A Unix socket's path, or an IP address with its port.
Address = str | tuple[Any, ...]
# Where a service listening on every address of the machine is asked.
_LOOPBACK = {socket.AF_INET: "127.0.0.1", socket.AF_INET6: "::1"}


def watch(notifier: SystemdNotifier, listener: socket.socket) -> threading.Thread:
    """Start the thread that tells ``notifier`` how the service behind ``listener`` does."""
    family = listener.family
    address = listener.getsockname()
    if family in _LOOPBACK and address[0] in ("0.0.0.0", "::"):
        address = (_LOOPBACK[family], *address[1:])
    thread = threading.Thread(
        target=_report, args=(notifier, family, address), name="systemd-watchdog", daemon=True
    )
    thread.start()
    return thread


def _report(notifier: SystemdNotifier, family: int, address: Address) -> None:
    wait = threading.Event().wait
    while not answers(family, address, "/readyz", timeout=5.0):
        wait(READY_EVERY_S)
    notifier.ready()
    every = notifier.ping_every_s
    if every is None:
        return
    while True:
        wait(every / 2)
        if answers(family, address, "/healthz", timeout=every):
            notifier.alive()
        else:
            log.warning("the web service did not answer /healthz; systemd is not told it lives")


def answers(family: int, address: Address, path: str, timeout: float) -> bool:
    """Whether ``GET path`` through ``address`` is answered 200 within ``timeout``."""
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(address)
            sock.sendall(f"GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode())
            with sock.makefile("rb") as answer:
                status_line = answer.readline(64)
    except OSError:
        return False
    return status_line.split(b" ")[1:2] == [b"200"]
