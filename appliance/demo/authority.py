"""The demo's certificate authority: Pebble, Let's Encrypt's test authority, from Debian.

The demo's hub obtains each box's certificate from it exactly as a real hub does from
Let's Encrypt (ACME, DNS-01); its DNS is Pebble's challenge test server, whose API stands
in for the landlord's DNS provider. Pebble serves ACME over HTTPS with a certificate
made here, which the hub trusts through ``acme_ca_bundle``. Pebble makes a new root at
each start: once it runs, the root is written to ``authority/root.pem`` so a browser
can be told to trust it.
"""

from __future__ import annotations

import json
import os
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from appliance.demo.layout import LOOPBACK, Layout
from appliance.supervisor import Child
from core.private_files import write_private_key
from provisioning.tls import (
    make_authority,
    make_server_certificate,
    write_certificate,
)

PEBBLE = Path("/usr/bin/pebble")
CHALLTESTSRV = Path("/usr/bin/pebble-challtestsrv")
# Reserved for tests (RFC 2606): no real name can be taken by mistake.
DEMO_DOMAIN = "micocouliers.test"


@dataclass(frozen=True)
class Authority:
    """Pebble's folder and ports in the demo's layout."""

    folder: Path
    acme_port: int
    management_port: int
    dns_port: int
    txt_port: int

    @property
    def directory_url(self) -> str:
        return f"https://{LOOPBACK}:{self.acme_port}/dir"

    @property
    def tls_bundle(self) -> Path:
        return self.folder / "pebble-tls-ca.pem"

    @property
    def root_file(self) -> Path:
        return self.folder / "root.pem"

    @property
    def credentials_file(self) -> Path:
        return self.folder / "dns-credentials.json"

    def hub_environment(self) -> dict[str, str]:
        """The hub's settings for obtaining the boxes' certificates from this authority."""
        return {
            "RESIDACOEUR_BOX_DOMAIN": DEMO_DOMAIN,
            "RESIDACOEUR_ACME_DIRECTORY_URL": self.directory_url,
            "RESIDACOEUR_ACME_CA_BUNDLE": str(self.tls_bundle),
            "RESIDACOEUR_DNS_PROVIDER": "challtestsrv",
            "RESIDACOEUR_DNS_CREDENTIALS_FILE": str(self.credentials_file),
            "RESIDACOEUR_DNS_WAIT_SECONDS": "0",
            # A demo's boxes want their certificates within seconds of starting.
            "RESIDACOEUR_CERTIFICATE_CHECK_SECONDS": "5",
            "RESIDACOEUR_CERTIFICATE_RETRY_SECONDS": "10",
        }


def installed() -> bool:
    return PEBBLE.exists() and CHALLTESTSRV.exists()


def plan(layout: Layout) -> Authority:
    first = layout.authority_port
    return Authority(layout.root / "authority", first, first + 1, first + 2, first + 3)


def prepare(authority: Authority) -> None:
    """Write Pebble's configuration and its TLS certificate (once)."""
    folder = authority.folder
    folder.mkdir(parents=True, exist_ok=True)
    if not authority.tls_bundle.exists():
        tls_authority = make_authority("Résidacœur demo ACME TLS")
        key, certificate = make_server_certificate(tls_authority, [LOOPBACK, "localhost"])
        write_certificate(folder / "pebble-tls.pem", certificate)
        write_private_key(folder / "pebble-tls-key.pem", key)
        write_certificate(authority.tls_bundle, tls_authority.certificate)
    settings = {
        "pebble": {
            "listenAddress": f"{LOOPBACK}:{authority.acme_port}",
            "managementListenAddress": f"{LOOPBACK}:{authority.management_port}",
            "certificate": str(folder / "pebble-tls.pem"),
            "privateKey": str(folder / "pebble-tls-key.pem"),
            # Ports Pebble would check for the other challenges; the hub uses DNS-01 only.
            "httpPort": 5002,
            "tlsPort": 5001,
            "ocspResponderURL": "",
            "externalAccountBindingRequired": False,
        }
    }
    (folder / "pebble-config.json").write_text(json.dumps(settings, indent=2), encoding="utf-8")
    authority.credentials_file.write_text(
        json.dumps({"url": f"http://{LOOPBACK}:{authority.txt_port}"}), encoding="utf-8"
    )


def children(authority: Authority, logs: Path) -> tuple[Child, Child]:
    """The challenge test server (the DNS) and Pebble, which asks it."""
    no_other_challenge = ("-http01", "", "-https01", "", "-tlsalpn01", "")
    dns = Child(
        "acme-dns",
        [
            str(CHALLTESTSRV),
            "-dns01",
            f"{LOOPBACK}:{authority.dns_port}",
            "-management",
            f"{LOOPBACK}:{authority.txt_port}",
            *no_other_challenge,
        ],
        logs / "acme-dns.log",
    )
    pebble = Child(
        "acme",
        [
            str(PEBBLE),
            "-config",
            str(authority.folder / "pebble-config.json"),
            "-dnsserver",
            f"{LOOPBACK}:{authority.dns_port}",
        ],
        logs / "acme.log",
        # Checks at once, and never refuses a nonce at random: Pebble's tests of clients
        # want those, a demo wants certificates.
        {**os.environ, "PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "0"},
    )
    return dns, pebble


def save_root(authority: Authority) -> bool:
    """Write the root Pebble signs with since its start; False while it does not answer."""
    tls = ssl.create_default_context(cafile=str(authority.tls_bundle))
    url = f"https://{LOOPBACK}:{authority.management_port}/roots/0"
    try:
        with urllib.request.urlopen(url, context=tls, timeout=2) as answer:
            authority.root_file.write_bytes(answer.read())
    except (urllib.error.URLError, OSError):
        return False
    return True
