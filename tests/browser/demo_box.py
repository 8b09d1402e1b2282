"""A real demo box for the browser tests: `residacoeur demo` under gunicorn, on loopback."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[2]
COMMAND = REPOSITORY / ".venv" / "bin" / "residacoeur"
# gunicorn preloads the app and migrates a fresh database: a slow machine needs a while.
START_SECONDS = 60
STOP_SECONDS = 15


@dataclass
class DemoBox:
    """A running demo box: where it answers and the logins it wrote."""

    url: str
    data_dir: Path
    logins: dict[str, Any]
    process: subprocess.Popen

    def log_tail(self, lines: int = 40) -> str:
        """Return the end of the box's output, to explain a failure."""
        log = self.data_dir / "demo.log"
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    """Return a TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start(data_dir: Path) -> DemoBox:
    """Start the demo box on a free port and wait until it is ready to serve."""
    port = free_port()
    # The box must be configured by its command line only, not by the caller's settings.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RESIDACOEUR_")}
    if not COMMAND.exists():
        raise RuntimeError(f"{COMMAND} is missing: run scripts/setup.sh first")
    with open(data_dir / "demo.log", "wb") as log:
        process = subprocess.Popen(
            [str(COMMAND), "demo", "--port", str(port), "--data-dir", str(data_dir)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=REPOSITORY,
            env=environment,
            start_new_session=True,
        )
    box = DemoBox(f"http://127.0.0.1:{port}", data_dir, {}, process)
    deadline = time.monotonic() + START_SECONDS
    while not _answers(f"{box.url}/readyz"):
        if process.poll() is not None or time.monotonic() > deadline:
            stop(box)
            raise RuntimeError(f"the demo box did not become ready:\n{box.log_tail()}")
        time.sleep(0.2)
    box.logins = json.loads((data_dir / "demo-logins.json").read_text(encoding="utf-8"))
    return box


def stop(box: DemoBox) -> None:
    """Ask gunicorn to shut down gracefully; kill its process group if it does not."""
    if box.process.poll() is not None:
        return
    box.process.terminate()
    try:
        box.process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        # The group holds only the gunicorn master started above and its workers.
        os.killpg(box.process.pid, signal.SIGKILL)
        box.process.wait(timeout=STOP_SECONDS)
