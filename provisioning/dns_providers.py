"""Who sets the TXT record the ACME authority reads for a DNS-01 challenge.

Two kinds, chosen by the hub's ``dns_provider`` setting, with their options in the JSON
file named by ``dns_credentials_file`` (never in the repository):

- ``challtestsrv``: Pebble's challenge test server, for tests and the demo; its options
  are ``{"url": "http://127.0.0.1:8055"}``, the address of its management API.
- any other name is a dns-lexicon provider (``ovh``, ``gandi``, ``cloudflare``…): the
  file holds that provider's options as dns-lexicon names them (for OVH
  ``auth_entrypoint``, ``auth_application_key``, ``auth_application_secret``,
  ``auth_consumer_key``), and may set ``domain``, the zone, when it is not the
  registered domain of the box's name.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

CHALLTESTSRV = "challtestsrv"
SECONDS = 30


class DnsProviderError(RuntimeError):
    """The provider could not be set up or would not set a record."""


class DnsProvider(Protocol):
    def set_txt(self, name: str, value: str) -> None: ...

    def clear_txt(self, name: str, value: str) -> None: ...


class ChallTestSrv:
    """Pebble's challenge test server, through its management API."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def set_txt(self, name: str, value: str) -> None:
        self._post("/set-txt", {"host": _fqdn(name), "value": value})

    def clear_txt(self, name: str, value: str) -> None:
        self._post("/clear-txt", {"host": _fqdn(name)})

    def _post(self, path: str, body: dict[str, str]) -> None:
        request = urllib.request.Request(
            self.url + path, data=json.dumps(body).encode(), method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=SECONDS) as answer:
                answer.read()
        except OSError as error:
            raise DnsProviderError(f"challtestsrv at {self.url}: {error}") from error


class Lexicon:
    """A DNS host's API through dns-lexicon, which knows many of them."""

    def __init__(self, provider: str, options: dict[str, Any]) -> None:
        self.provider = provider
        self.zone = options.get("domain")
        self.options = {key: value for key, value in options.items() if key != "domain"}

    def set_txt(self, name: str, value: str) -> None:
        self._do(name, lambda records: records.create_record("TXT", name, value))

    def clear_txt(self, name: str, value: str) -> None:
        self._do(name, lambda records: records.delete_record(None, "TXT", name, value))

    def _do(self, name: str, change: Callable[[Any], Any]) -> None:
        from lexicon.client import Client
        from lexicon.config import ConfigResolver

        # Without a zone, dns-lexicon takes the registered domain of the name.
        config = ConfigResolver().with_dict(
            {
                "provider_name": self.provider,
                "domain": self.zone or name.split(".", 1)[1],
                self.provider: self.options,
            }
        )
        try:
            with Client(config) as records:
                change(records)
        except Exception as error:
            # dns-lexicon's providers raise what their HTTP library raises; the reason is
            # kept for operators, without the options that hold the credentials.
            raise DnsProviderError(f"{self.provider}: {type(error).__name__}: {error}") from error


def from_settings(config: dict[str, Any]) -> DnsProvider:
    """Return the provider the hub's settings name, or explain what is missing."""
    name = config["dns_provider"].strip()
    if not name:
        raise DnsProviderError("dns_provider is not set: no one can set the TXT records")
    options = _options(config["dns_credentials_file"])
    if name == CHALLTESTSRV:
        if "url" not in options:
            raise DnsProviderError("challtestsrv needs its management API's url")
        return ChallTestSrv(str(options["url"]))
    return Lexicon(name, options)


def _options(path: str) -> dict[str, Any]:
    if not path:
        raise DnsProviderError("dns_credentials_file is not set")
    try:
        options = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DnsProviderError(f"{path} cannot be read as JSON: {error}") from error
    if not isinstance(options, dict):
        raise DnsProviderError(f"{path} must hold a JSON object")
    return options


def _fqdn(name: str) -> str:
    return name if name.endswith(".") else name + "."
