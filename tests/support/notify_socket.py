"""systemd's notification socket as a test holds it: what a service said, and when.

A datagram socket in a short-named folder of its own (a socket's path is at most 107
bytes) stands in for systemd's. A service started with
``environment()`` in its environment sends its READY=1 and WATCHDOG=1 there, as it would
to systemd with ``Type=notify`` and ``WatchdogSec=``.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import time
from pathlib import Path

# One second of watchdog: the services ping every half second.
WATCHDOG_USEC = 1_000_000


class NotifySocket:
    """Receives a service's notifications, each with the moment it came."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="rc-notify-"))
        self.path = self.folder / "notify"
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(self.path))

    def environment(self) -> dict[str, str]:
        return {"NOTIFY_SOCKET": str(self.path), "WATCHDOG_USEC": str(WATCHDOG_USEC)}

    def receive(self, timeout: float) -> str | None:
        """The next notification, or None when none came within ``timeout``."""
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(4096).decode()
        except TimeoutError:
            return None

    def wait_for(self, message: str, timeout: float) -> list[str]:
        """Wait for ``message``; return what came before it. Fail when it does not come."""
        before: list[str] = []
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            received = self.receive(left)
            if received == message:
                return before
            if received is not None:
                before.append(received)
        raise AssertionError(f"no {message} in {timeout} s; came: {before}")

    def during(self, seconds: float) -> list[str]:
        """Everything that comes within ``seconds``."""
        received: list[str] = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            message = self.receive(left)
            if message is not None:
                received.append(message)
        return received

    def drain(self) -> None:
        """Forget what has come so far."""
        while self.receive(0.01) is not None:
            pass

    def close(self) -> None:
        self.sock.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> NotifySocket:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
