"""Pebble, the ACME test authority, and its challenge test server, on free ports.

The same servers, configuration and certificate as the demo's authority
(``appliance/demo/authority.py``), for one test: pebble itself can be stopped and
started again, and its root fetched from its management API (Pebble makes a new root at
each start).
"""

from __future__ import annotations

import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from appliance.demo import authority
from appliance.supervisor import Child
from tests.support.mosquitto import free_ports

START_SECONDS = 20.0


class Pebble:
    """Both servers as subprocesses; pebble itself can be stopped and started again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.authority = authority.Authority(folder, *free_ports(4))
        authority.prepare(self.authority)
        self._dns_child, self._pebble_child = authority.children(self.authority, folder)
        self._challtestsrv: subprocess.Popen | None = None
        self._pebble: subprocess.Popen | None = None

    def hub_settings(self, box_domain: str) -> dict[str, Any]:
        """The hub's settings for obtaining certificates from this pebble, at once."""
        settings = {
            name.removeprefix("RESIDACOEUR_").lower(): value
            for name, value in self.authority.hub_environment().items()
        }
        return settings | {
            "box_domain": box_domain,
            "certificate_check_seconds": 1,
            "certificate_retry_seconds": 1,
        }

    def __enter__(self) -> Pebble:
        self._challtestsrv = _start(self._dns_child)
        txt_api = f"http://{authority.LOOPBACK}:{self.authority.txt_port}/"
        self._wait(lambda: self._answers(txt_api, None), "challtestsrv")
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
        if self._challtestsrv is not None:
            self._challtestsrv.terminate()
            self._challtestsrv.wait(10)

    def start(self) -> None:
        self._pebble = _start(self._pebble_child)
        self._wait(lambda: self._answers(self.authority.directory_url, self._tls()), "pebble")

    def stop(self) -> None:
        if self._pebble is not None and self._pebble.poll() is None:
            self._pebble.terminate()
            self._pebble.wait(10)

    def root_pem(self) -> bytes:
        """The root that signs pebble's chains since its last start."""
        assert authority.save_root(self.authority), self.log()
        return self.authority.root_file.read_bytes()

    def log(self) -> str:
        return self._pebble_child.log.read_text(errors="replace")

    def _tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.authority.tls_bundle))

    @staticmethod
    def _answers(url: str, context: ssl.SSLContext | None) -> bool:
        try:
            with urllib.request.urlopen(url, context=context, timeout=2):
                return True
        except urllib.error.HTTPError:
            # Any answer at all: the server is up.
            return True
        except OSError:
            return False

    def _wait(self, ready, what: str) -> None:
        deadline = time.monotonic() + START_SECONDS
        while not ready():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what} did not start:\n{self.log()}")
            time.sleep(0.1)


def _start(child: Child) -> subprocess.Popen:
    with child.log.open("ab") as output:
        return subprocess.Popen(
            child.command, stdout=output, stderr=subprocess.STDOUT, env=child.environment
        )


@pytest.fixture
def pebble(tmp_path: Path) -> Iterator[Pebble]:
    """Pebble and its challenge test server, for this test alone."""
    with Pebble(tmp_path / "pebble") as running:
        yield running
