"""A real demo estate for the tests: `residacoeur demo`, a broker, the hub and two boxes.

The command runs in the foreground as a person would run it; the tests wait for the line
it prints once every process is up and both boxes are online at the hub.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appliance.demo import layout
from appliance.demo.processes import READY_LINE

REPOSITORY = Path(__file__).resolve().parents[2]
COMMAND = REPOSITORY / ".venv" / "bin" / "residacoeur"
# Three web services and three link processes start at once on a small machine.
START_SECONDS = 90
# The estate stops its processes group by group, each given up to ten seconds.
STOP_SECONDS = 40


@dataclass
class DemoEstate:
    """A running demo estate: its folder, the logins it wrote and its supervising process."""

    data_dir: Path
    logins: dict[str, Any]
    process: subprocess.Popen | None

    @property
    def url(self) -> str:
        """The first box's portal, where tenants of its building sign in."""
        return self.logins["boxes"][0]["url"].rstrip("/")

    @property
    def hub_url(self) -> str:
        """The hub's console."""
        return self.logins["hub"]["url"].rstrip("/")

    def output(self) -> str:
        log = self.data_dir / "demo.log"
        return log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        """Return the end of the demo's output, to explain a failure."""
        return "\n".join(self.output().splitlines()[-lines:])


def console_of(member: dict[str, str]) -> str:
    """Return where a staff member of the demo signs in: the hub's console or their box."""
    return member["url"].rstrip("/")


def free_first_port() -> int:
    """Return a port N such that every port the estate lays out from N is free now."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port + layout.HTTPS_PORT_OFFSET + 1 < 65536 and not layout.taken_ports(
            layout.plan(Path("."), port)
        ):
            return port
    raise RuntimeError("no free run of ports for the demo estate")


def start(data_dir: Path, port: int | None = None) -> DemoEstate:
    """Start the demo estate and wait until it says it is ready."""
    if not COMMAND.exists():
        raise RuntimeError(f"{COMMAND} is missing: run scripts/setup.sh first")
    # The estate must be configured by its command line only, not by the caller's settings.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RESIDACOEUR_")}
    port = port or free_first_port()
    estate = DemoEstate(data_dir, {}, None)
    starts = estate.output().count(READY_LINE)
    with open(data_dir / "demo.log", "ab") as log:
        process = subprocess.Popen(
            [str(COMMAND), "demo", "--port", str(port), "--data-dir", str(data_dir)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=REPOSITORY,
            env=environment,
            start_new_session=True,
        )
    estate.process = process
    deadline = time.monotonic() + START_SECONDS
    while estate.output().count(READY_LINE) <= starts:
        if process.poll() is not None or time.monotonic() > deadline:
            stop(estate)
            raise RuntimeError(f"the demo estate did not become ready:\n{estate.log_tail()}")
        time.sleep(0.2)
    estate.logins = json.loads((data_dir / "demo-logins.json").read_text(encoding="utf-8"))
    return estate


def stop(estate: DemoEstate) -> None:
    """Stop the estate as Ctrl-C would; kill its process group if it does not stop."""
    if estate.process.poll() is not None:
        return
    estate.process.send_signal(signal.SIGINT)
    try:
        estate.process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        # Its children die with it: the demo asks the kernel for that when it starts them.
        os.killpg(estate.process.pid, signal.SIGKILL)
        estate.process.wait(timeout=STOP_SECONDS)
