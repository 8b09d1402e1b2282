"""Telling systemd how a service is doing: READY=1 once it serves, WATCHDOG=1 while it works.

systemd gives a service of ``Type=notify`` the address of its notification socket in
``NOTIFY_SOCKET`` (a path, or an abstract name written with a leading "@"), and with
``WatchdogSec=`` the time it waits for a sign of life in ``WATCHDOG_USEC``, for the
process named by ``WATCHDOG_PID``. A notification is one datagram of "NAME=value" lines
(sd_notify(3)). Without ``NOTIFY_SOCKET`` (a developer's machine, the tests, the demo)
every call does nothing.
"""

from __future__ import annotations

import logging
import os
import socket
import time

log = logging.getLogger(__name__)


class SystemdNotifier:
    """The service's side of systemd's notification socket."""

    def __init__(self, address: str | None, watchdog_s: float | None) -> None:
        self.address = address
        self.watchdog_s = watchdog_s if address is not None else None
        self._next_ping = 0.0

    @classmethod
    def from_environment(cls) -> SystemdNotifier:
        """Read systemd's variables and take them out of the environment.

        Then the processes this one starts (gunicorn's workers) cannot speak for the
        service, and gunicorn, which would say READY=1 as soon as it listens, says nothing.
        """
        address = os.environ.pop("NOTIFY_SOCKET", None) or None
        usec = os.environ.pop("WATCHDOG_USEC", None)
        pid = os.environ.pop("WATCHDOG_PID", None)
        # A watchdog set for another process (the one that started this one) is not ours.
        ours = pid is None or pid == str(os.getpid())
        watchdog_s = int(usec) / 1_000_000 if usec and ours else None
        return cls(address, watchdog_s)

    @property
    def enabled(self) -> bool:
        return self.address is not None

    @property
    def ping_every_s(self) -> float | None:
        """How often to ping: twice per watchdog period, as sd_watchdog_enabled(3) advises."""
        return None if self.watchdog_s is None else self.watchdog_s / 2

    def ready(self) -> None:
        """The service does its work now: systemd starts the units waiting for it."""
        self._send("READY=1")

    def alive(self) -> None:
        """A sign of life, sent at most once per ``ping_every_s``; more calls do nothing."""
        if self.ping_every_s is None:
            return
        now = time.monotonic()
        if now >= self._next_ping:
            self._next_ping = now + self.ping_every_s
            self._send("WATCHDOG=1")

    def _send(self, message: str) -> None:
        if self.address is None:
            return
        # An abstract socket's name starts with a NUL byte, written "@" in the variable.
        address = "\0" + self.address[1:] if self.address.startswith("@") else self.address
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.connect(address)
                sock.sendall(message.encode())
        except OSError as error:
            # Not fatal by itself: a watchdog that hears nothing restarts the service.
            log.warning("could not tell systemd %s: %s", message, error)
