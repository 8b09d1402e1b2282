"""A box as it runs on the building's network: nginx in front, gunicorn on a Unix socket.

Both are the real commands (`residacoeur box front`, `residacoeur box web`), on free
ports of 127.0.0.1; the socket sits in a short folder of its own (a socket's path has
at most 107 bytes).
"""

from __future__ import annotations

import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from core import box_certificate
from tests.integration.gunicorn_box import free_port

RESIDACOEUR = str(Path(sys.executable).with_name("residacoeur"))


class FrontedBox:
    """Start the web service and its front server; stop both at the end."""

    def __init__(self, data_dir: Path, workers: int = 2, env: dict[str, str] | None = None):
        self.data_dir = data_dir
        self.run_dir = Path(tempfile.mkdtemp(prefix="rc-", dir="/tmp"))
        self.socket = self.run_dir / "web.sock"
        self.http_port = free_port()
        self.https_port = free_port()
        self.environment = {
            **os.environ,
            "RESIDACOEUR_DATA_DIR": str(data_dir),
            "RESIDACOEUR_BIND": f"unix:{self.socket}",
            "RESIDACOEUR_FRONT_ADDRESS": "127.0.0.1",
            "RESIDACOEUR_HTTP_PORT": str(self.http_port),
            "RESIDACOEUR_HTTPS_PORT": str(self.https_port),
            "RESIDACOEUR_WORKERS": str(workers),
            **(env or {}),
        }
        self.web = self._start("web")
        self.front = self._start("front")
        self.http_url = f"http://localhost:{self.http_port}"
        self.https_url = f"https://localhost:{self.https_port}"
        self.wait_ready()

    def _start(self, command: str) -> subprocess.Popen:
        # A file, not a pipe: nobody reads a pipe while a benchmark loads the box, and
        # a full one would stop the process that writes to it.
        with (self.run_dir / f"{command}.log").open("ab") as output:
            return subprocess.Popen(
                [RESIDACOEUR, "box", command],
                env=self.environment,
                stdout=subprocess.DEVNULL,
                stderr=output,
            )

    def said(self, command: str) -> str:
        """What `residacoeur box <command>` wrote to its standard error."""
        return (self.run_dir / f"{command}.log").read_text(errors="replace")

    def tls(self) -> ssl.SSLContext:
        """A client that trusts the box's certificate in use and checks the name."""
        return ssl.create_default_context(cafile=box_certificate.chain_path(self.data_dir))

    def wait_ready(self, timeout: float = 40) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for command, process in (("web", self.web), ("front", self.front)):
                if process.poll() is not None:
                    raise RuntimeError(self.said(command))
            try:
                with urllib.request.urlopen(self.http_url + "/readyz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise RuntimeError(f"the fronted box did not become ready in {timeout} s")

    def kill_web(self) -> None:
        """Kill the web service at once, its workers with it, as a crash would."""
        master = self.web.pid
        workers = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        for pid in (master, *(int(worker) for worker in workers)):
            os.kill(pid, signal.SIGKILL)
        self.web.wait()

    def nginx_pids(self) -> set[int]:
        master = self.front.pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return {master, *(int(pid) for pid in children)}

    def stop(self) -> None:
        for process in (self.front, self.web):
            process.terminate()
        for process in (self.front, self.web):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self.run_dir, ignore_errors=True)
