"""Several processes run in the foreground as one: started in order, stopped together.

Used by the demo to run a broker, the hub and its boxes on one machine. Each child has
its own session (so a Ctrl-C reaches only this process, which then stops the children in
order) and its own log file, and dies with its parent if the parent is killed outright.

While the children start, one that ends stops them all: it is most likely a fault that
starting it again would not mend (a port taken, a database that will not open), and the
person starting them wants to hear of it at once. Once they run, a child that ends is
started again after a pause, as a machine's service manager would (``restart_policy``);
one that keeps ending stops them all, with the end of its log.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from appliance.restart_policy import RestartPolicy, Restarts

STOP_SECONDS = 10.0
WATCH_EVERY_S = 0.5
_PR_SET_PDEATHSIG = 1


@dataclass
class Child:
    """One process of the set: its command, environment and log file.

    ``after_start`` is given the pid of each new process, the first and every restart.
    """

    name: str
    command: list[str]
    log: Path
    environment: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    after_start: Callable[[int], None] | None = None
    process: subprocess.Popen | None = None
    started_at: float = 0.0

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
        self.started_at = time.monotonic()
        if self.after_start:
            self.after_start(self.process.pid)

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
            self.kill_leftovers()
            self.process.wait(seconds)

    def kill_leftovers(self) -> None:
        """Kill what is left of the child's process group, such as gunicorn's workers."""
        # The group is the child's own session: nothing else is in it. Its number is not
        # given to another process while any member lives.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def ending(self) -> str:
        """Say how the child's process ended: its exit status or the signal that killed it."""
        status = self.process.returncode
        if status >= 0:
            return f"exit status {status}"
        try:
            return f"killed by {signal.Signals(-status).name}"
        except ValueError:
            return f"killed by signal {-status}"

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
    """A child ended before the set was ready, never became ready, or keeps ending."""


class StopRequested(Exception):
    """Ctrl-C or SIGTERM came while waiting for the children to be ready."""


class Supervisor:
    """Starts children in groups, starts again those that end, stops them in reverse order."""

    def __init__(self, policy: RestartPolicy | None = None) -> None:
        self.policy = policy or RestartPolicy()
        self.groups: list[list[Child]] = []
        self.stop_requested = threading.Event()
        self._restarts: dict[str, Restarts] = {}
        self._due: dict[str, float] = {}

    def start(self, group: list[Child]) -> None:
        """Start a group of children at once."""
        self.groups.append(group)
        for child in group:
            self._restarts[child.name] = Restarts(self.policy)
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
                    f"{child.name} ended ({child.ending()}); "
                    f"the end of {child.log}:\n{child.log_tail()}"
                )

    def watch(self) -> None:
        """Start again each child that ends; return when a stop is requested.

        Raise ChildFailed when a child ends too often to be worth starting again.
        """
        while not self.stop_requested.wait(self._until_next_look()):
            now = time.monotonic()
            for child in self.children:
                if child.name in self._due:
                    if now >= self._due[child.name]:
                        self._start_again(child)
                elif not child.running:
                    self._after_death(child, now)

    def _until_next_look(self) -> float:
        # A pause shorter than the usual look must still be kept to, not rounded up.
        soonest = min(self._due.values(), default=time.monotonic() + WATCH_EVERY_S)
        return max(0.0, min(WATCH_EVERY_S, soonest - time.monotonic()))

    def _after_death(self, child: Child, now: float) -> None:
        child.kill_leftovers()
        pause = self._restarts[child.name].after_death(now, now - child.started_at)
        if pause is None:
            raise ChildFailed(
                f"{child.name} ended {self.policy.burst} times within "
                f"{self.policy.interval:g} s ({child.ending()} the last time); "
                f"the end of {child.log}:\n{child.log_tail()}"
            )
        self._due[child.name] = now + pause
        _say(
            f"{child.name} ended ({child.ending()}); the end of {child.log}:\n"
            f"{child.log_tail()}\n{child.name} starts again in {pause:g} s."
        )

    def _start_again(self, child: Child) -> None:
        del self._due[child.name]
        child.start()
        _say(f"{child.name} started again (pid {child.process.pid}).")

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


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
