"""Small real processes for tests of the supervisor: one that sleeps, one that quits.

Each says in its log when it started (on the system's monotonic clock, the same in every
process), so a test can count its starts and measure the pauses between them. A sleeper
notes its name in a shared file when asked to stop, so the order of stops can be read.

Run as ``python -m tests.support.sleepers FOLDER``, it supervises three sleepers, one
group each, until Ctrl-C or SIGTERM, as the demo supervises its estate.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from appliance.supervisor import Child, Supervisor

STARTED = "started at"
WATCHING = "watching"
STOPS_FILE = "stops.txt"
NAMES = ("first", "second", "third")

_SLEEPER = f"""
import signal, sys, time
def stopped(*_):
    with open(sys.argv[2], "a") as stops:
        stops.write(sys.argv[1] + "\\n")
    sys.exit(0)
signal.signal(signal.SIGTERM, stopped)
print("{STARTED}", time.monotonic(), flush=True)
while True:
    time.sleep(60)
"""

_QUITTER = f"""
import sys, time
print("{STARTED}", time.monotonic(), flush=True)
print(sys.argv[1], flush=True)
sys.exit(3)
"""


def sleeper(folder: Path, name: str) -> Child:
    """A child that runs until SIGTERM, then notes its name in the folder's stops file."""
    return Child(
        name, [sys.executable, "-c", _SLEEPER, name, str(folder / STOPS_FILE)], folder / name
    )


def quitter(folder: Path, name: str, last_words: str) -> Child:
    """A child that says its last words and ends at once with exit status 3."""
    return Child(name, [sys.executable, "-c", _QUITTER, last_words], folder / name)


def starts(child: Child) -> list[float]:
    """Return when each run of the child started, on the monotonic clock."""
    if not child.log.exists():
        return []
    lines = child.log.read_text(encoding="utf-8").splitlines()
    return [float(line.split()[-1]) for line in lines if line.startswith(STARTED)]


def stops(folder: Path) -> list[str]:
    """Return the names of the sleepers asked to stop, in the order they stopped."""
    path = folder / STOPS_FILE
    return path.read_text(encoding="utf-8").split() if path.exists() else []


def within(seconds: float, condition: Callable[[], bool]) -> bool:
    """Wait up to ``seconds`` for the condition to hold; return whether it did."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _supervise(folder: Path) -> None:
    supervisor = Supervisor()
    supervisor.stop_on_signals()
    children = [sleeper(folder, name) for name in NAMES]
    try:
        for child in children:
            supervisor.start([child])
        print(WATCHING, *(child.process.pid for child in children), flush=True)
        supervisor.watch()
    finally:
        supervisor.stop()


if __name__ == "__main__":
    _supervise(Path(sys.argv[1]))
