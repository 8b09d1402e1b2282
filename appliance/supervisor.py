"""Several processes run in the foreground as one: started in order, stopped together.

Used by the demo to run a broker, the hub and its boxes on one machine. Each child has
its own session (so a Ctrl-C reaches only this process, which then stops the children in
order) and its own log file, and dies with its parent if the parent is killed outright.
If one child ends on its own, the others are stopped too: half an estate would only
mislead whoever is trying it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

STOP_SECONDS = 10.0
WATCH_EVERY_S = 0.5
_PR_SET_PDEATHSIG = 1


@dataclass
class Child:
    """One process of the set: its command, environment and log file."""

    name: str
    command: list[str]
    log: Path
    environment: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    process: subprocess.Popen | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        parent = os.getpid()
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                env=self.environment,
                start_new_session=True,
                preexec_fn=lambda: _die_with(parent),
            )

    def ask_to_stop(self) -> None:
        if self.running:
            self.process.send_signal(signal.SIGTERM)

    def wait_stopped(self, seconds: float) -> None:
        """Wait for the child to end; kill its whole process group if it lingers."""
        if self.process is None:
            return
        try:
            self.process.wait(seconds)
        except subprocess.TimeoutExpired:
            # The group is the child's own session: gunicorn's workers, nothing else.
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(seconds)

    def log_tail(self, lines: int = 15) -> str:
        if not self.log.exists():
            return ""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def _die_with(parent: int) -> None:
    # Runs in the child between fork and exec: ask the kernel for SIGTERM when the parent
    # dies, then make sure it had not died already.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


class ChildFailed(RuntimeError):
    """A child ended on its own or never became ready."""


class StopRequested(Exception):
    """Ctrl-C or SIGTERM came while waiting for the children to be ready."""


class Supervisor:
    """Starts children in groups, watches them, and stops them in the reverse order."""

    def __init__(self) -> None:
        self.groups: list[list[Child]] = []
        self.stop_requested = threading.Event()

    def start(self, group: list[Child]) -> None:
        """Start a group of children at once."""
        self.groups.append(group)
        for child in group:
            child.start()

    def wait_until(self, condition: Callable[[], bool], seconds: float, what: str) -> None:
        """Wait for a condition while every child keeps running; raise ChildFailed if not."""
        deadline = time.monotonic() + seconds
        while not condition():
            self.check()
            if self.stop_requested.is_set():
                raise StopRequested(what)
            if time.monotonic() > deadline:
                raise ChildFailed(f"{what} did not happen within {seconds:.0f} s")
            time.sleep(0.1)

    def check(self) -> None:
        """Raise ChildFailed if a child has ended."""
        for child in self.children:
            if not child.running:
                raise ChildFailed(
                    f"{child.name} ended (exit status {child.process.returncode}); "
                    f"the end of {child.log}:\n{child.log_tail()}"
                )

    def watch(self) -> None:
        """Return when a stop is requested; raise ChildFailed when a child ends first."""
        while not self.stop_requested.wait(WATCH_EVERY_S):
            self.check()

    def stop(self) -> None:
        """Stop the groups, last started first, each group's children together."""
        for group in reversed(self.groups):
            for child in group:
                child.ask_to_stop()
            for child in group:
                child.wait_stopped(STOP_SECONDS)
        self.groups.clear()

    @property
    def children(self) -> list[Child]:
        return [child for group in self.groups for child in group]

    def stop_on_signals(self) -> None:
        """Turn SIGINT (Ctrl-C) and SIGTERM into a request to stop."""
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: self.stop_requested.set())
