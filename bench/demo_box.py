"""A real demo box under gunicorn for the benchmark: start it, wait for it, weigh it, stop it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from machine import REPOSITORY

COMMAND = REPOSITORY / ".venv" / "bin" / "residacoeur"


def free_port() -> int:
    """Return a loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class DemoBox:
    """The ``residacoeur demo`` process (the gunicorn master) and its data folder."""

    workers: int
    threads: int | None = None
    port: int = field(default_factory=free_port)
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="bench-box-")))
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        """Build the demo estate, start gunicorn and wait until /healthz answers."""
        environ = dict(os.environ)
        if self.threads is not None:
            environ["RESIDACOEUR_THREADS"] = str(self.threads)
        self.log = open(self.data_dir / "gunicorn.log", "wb")  # noqa: SIM115 - lives with the box
        command = [str(COMMAND), "demo", "--box-only", "--port", str(self.port)]
        command += ["--data-dir", str(self.data_dir), "--workers", str(self.workers)]
        # Own process group, so stopping the box stops its workers and nothing else.
        self.process = subprocess.Popen(
            command, env=environ, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the demo box stopped; see {self.data_dir / 'gunicorn.log'}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as answer:
                    if answer.status == 200 and len(self.worker_pids()) >= self.workers:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the demo box did not answer within {timeout:.0f} s")

    def logins(self) -> dict[str, Any]:
        """Return the tenants' codes and PINs the demo wrote for this estate."""
        return json.loads((self.data_dir / "demo-logins.json").read_text(encoding="utf-8"))

    def worker_pids(self) -> list[int]:
        """Return the pids of the gunicorn workers (the master's children)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except FileNotFoundError:
            return []

    def memory(self) -> dict[str, Any]:
        """Return resident (RSS) and proportional (PSS) memory of master and workers, in MiB.

        RSS counts the pages workers share with the preloaded master once per process;
        PSS divides them between the sharers, so its sum is what the box really uses.
        """
        pids = [self.process.pid, *self.worker_pids()]
        rss = {pid: _kib(f"/proc/{pid}/status", "VmRSS:") for pid in pids}
        pss = {pid: _kib(f"/proc/{pid}/smaps_rollup", "Pss:") for pid in pids}
        return {
            "processes": len(pids),
            "rss_mib": round(sum(rss.values()) / 1024, 1),
            "pss_mib": round(sum(pss.values()) / 1024, 1),
            "rss_mib_each": [round(value / 1024, 1) for value in rss.values()],
        }

    def cpu_seconds(self) -> float:
        """Return the CPU time (user and system) used so far by the master and its workers."""
        total_ticks = 0
        for pid in [self.process.pid, *self.worker_pids()]:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                # Fields after the command name, which is in parentheses and may hold spaces.
                fields = stat.read().rsplit(")", 1)[1].split()
            total_ticks += int(fields[11]) + int(fields[12])
        return total_ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """Stop gunicorn gracefully (its whole process group if it lingers), forget the data."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process is not None:
            self.log.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)


def _kib(path: str, key: str) -> int:
    with open(path, encoding="ascii") as lines:
        for line in lines:
            if line.startswith(key):
                return int(line.split()[1])
    return 0
