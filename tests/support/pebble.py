"""Pebble, the ACME test authority, and its challenge test server, on free ports.

Pebble serves ACME over HTTPS with a certificate from an authority made here (the hub
trusts it through ``acme_ca_bundle``), and resolves the DNS-01 TXT records through
``pebble-challtestsrv``, whose management API sets them. Pebble makes a new root at
each start; ``root_pem()`` fetches the one in use from its management API.
"""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.private_files import write_private_key
from provisioning.tls import (
    make_authority,
    make_server_certificate,
    write_certificate,
)
from tests.support.mosquitto import HOST, free_ports

PEBBLE = "/usr/bin/pebble"
CHALLTESTSRV = "/usr/bin/pebble-challtestsrv"
START_SECONDS = 20.0


class Pebble:
    """Both servers as subprocesses; pebble itself can be stopped and started again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.acme_port, self.management_port, self.dns_port, self.txt_port = free_ports(4)
        authority = make_authority("Pebble test TLS authority")
        key, certificate = make_server_certificate(authority, [HOST, "localhost"])
        self.ca_bundle = folder / "pebble-tls-ca.pem"
        write_certificate(self.ca_bundle, authority.certificate)
        write_certificate(folder / "pebble-tls.pem", certificate)
        write_private_key(folder / "pebble-tls-key.pem", key)
        http_port, tls_port = free_ports(2)
        self.config_file = folder / "pebble-config.json"
        self.config_file.write_text(
            json.dumps(
                {
                    "pebble": {
                        "listenAddress": f"{HOST}:{self.acme_port}",
                        "managementListenAddress": f"{HOST}:{self.management_port}",
                        "certificate": str(folder / "pebble-tls.pem"),
                        "privateKey": str(folder / "pebble-tls-key.pem"),
                        "httpPort": http_port,
                        "tlsPort": tls_port,
                        "ocspResponderURL": "",
                        "externalAccountBindingRequired": False,
                    }
                }
            )
        )
        self.credentials_file = folder / "dns-credentials.json"
        self.credentials_file.write_text(json.dumps({"url": f"http://{HOST}:{self.txt_port}"}))
        self._challtestsrv: subprocess.Popen | None = None
        self._pebble: subprocess.Popen | None = None

    @property
    def directory_url(self) -> str:
        return f"https://{HOST}:{self.acme_port}/dir"

    def hub_settings(self, box_domain: str) -> dict[str, Any]:
        """The hub's settings for obtaining certificates from this pebble, at once."""
        return {
            "box_domain": box_domain,
            "acme_directory_url": self.directory_url,
            "acme_ca_bundle": str(self.ca_bundle),
            "dns_provider": "challtestsrv",
            "dns_credentials_file": str(self.credentials_file),
            "dns_wait_seconds": 0,
            "certificate_check_seconds": 1,
            "certificate_retry_seconds": 1,
        }

    def __enter__(self) -> Pebble:
        self._challtestsrv = subprocess.Popen(
            [
                CHALLTESTSRV,
                "-dns01",
                f"{HOST}:{self.dns_port}",
                "-management",
                f"{HOST}:{self.txt_port}",
                "-http01",
                "",
                "-https01",
                "",
                "-tlsalpn01",
                "",
            ],
            stdout=(self.folder / "challtestsrv.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        self._wait(lambda: self._answers(f"http://{HOST}:{self.txt_port}/", None), "challtestsrv")
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
        if self._challtestsrv is not None:
            self._challtestsrv.terminate()
            self._challtestsrv.wait(10)

    def start(self) -> None:
        environment = {**os.environ, "PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "0"}
        self._pebble = subprocess.Popen(
            [PEBBLE, "-config", str(self.config_file), "-dnsserver", f"{HOST}:{self.dns_port}"],
            stdout=(self.folder / "pebble.log").open("ab"),
            stderr=subprocess.STDOUT,
            env=environment,
        )
        self._wait(lambda: self._answers(self.directory_url, self._tls()), "pebble")

    def stop(self) -> None:
        if self._pebble is not None and self._pebble.poll() is None:
            self._pebble.terminate()
            self._pebble.wait(10)

    def root_pem(self) -> bytes:
        """The root that signs pebble's chains since its last start."""
        url = f"https://{HOST}:{self.management_port}/roots/0"
        with urllib.request.urlopen(url, context=self._tls(), timeout=10) as answer:
            return answer.read()

    def log(self) -> str:
        return (self.folder / "pebble.log").read_text(errors="replace")

    def _tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_bundle))

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


@pytest.fixture
def pebble(tmp_path: Path) -> Iterator[Pebble]:
    """Pebble and its challenge test server, for this test alone."""
    with Pebble(tmp_path / "pebble") as running:
        yield running
