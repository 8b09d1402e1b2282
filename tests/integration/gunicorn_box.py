"""A real box web service under gunicorn, started as the `residacoeur box web` command."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningBox:
    """Start `residacoeur box web` (or `hub web`) on a free port and stop it at the end."""

    def __init__(
        self,
        data_dir: Path,
        workers: int = 3,
        env: dict[str, str] | None = None,
        place: str = "box",
        wait_ready: bool = True,
        access_log: Path | None = None,
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = (
            [sys.executable, "-m", "tests.support.logged_box", str(data_dir), str(access_log)]
            if access_log
            else self._command(data_dir, workers, place)
        )
        self.process = subprocess.Popen(
            command,
            env={**os.environ, "RESIDACOEUR_BIND": f"127.0.0.1:{self.port}", **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if wait_ready:
            self._wait_ready()

    def _command(self, data_dir: Path, workers: int, place: str) -> list[str]:
        return [
            str(Path(sys.executable).with_name("residacoeur")),
            place,
            "web",
            "--data-dir",
            str(data_dir),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
        ]

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stderr.read().decode())
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the box did not become ready in 30 s")

    def worker_pids(self, expected: int, timeout: float = 15) -> set[int]:
        """Return the worker processes once there are as many as expected (or the timeout)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        deadline = time.monotonic() + timeout
        pids = {int(pid) for pid in children.read_text().split()}
        while len(pids) < expected and time.monotonic() < deadline:
            time.sleep(0.2)
            pids = {int(pid) for pid in children.read_text().split()}
        return pids

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Visitor:
    """A person with their own cookies, opening a new connection for every request."""

    def __init__(self, base_url: str, tls: ssl.SSLContext | None = None):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            urllib.request.HTTPSHandler(context=tls),
            _NoRedirect(),
        )

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base_url + path))

    def post_form(self, path: str, fields: dict[str, str], form_page: str) -> tuple[int, str]:
        status, body = self.post_form_for_bytes(path, fields, form_page)
        return status, body.decode()

    def post_form_for_bytes(
        self, path: str, fields: dict[str, str], form_page: str
    ) -> tuple[int, bytes]:
        _status, html = self.get(form_page)
        token = _TOKEN.search(html).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
        return self._open_raw(
            urllib.request.Request(self.base_url + path, data=body, method="POST")
        )

    def _open(self, request) -> tuple[int, str]:
        status, body = self._open_raw(request)
        return status, body.decode()

    def _open_raw(self, request) -> tuple[int, bytes]:
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
