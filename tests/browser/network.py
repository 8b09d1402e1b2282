"""What a page fetched over the network, as Chromium's DevTools protocol tells it.

A file the browser takes from its cache is not counted; a file it checks again with the
server (an answer 304) is, since the person waits for that answer too. Bytes are those
on the wire: headers and the body as sent, compressed or not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Page


@dataclass
class Fetched:
    """One answer that came over the network."""

    url: str
    kind: str
    status: int
    wire_bytes: int = 0


@dataclass
class NetworkLog:
    """The answers a page received over the network since the last ``start``."""

    page: Page
    _fetched: dict[str, Fetched] = field(default_factory=dict)
    _from_cache: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._devtools = self.page.context.new_cdp_session(self.page)
        self._devtools.on("Network.requestServedFromCache", self._served_from_cache)
        self._devtools.on("Network.responseReceived", self._received)
        self._devtools.on("Network.loadingFinished", self._finished)
        self._devtools.send("Network.enable")

    def empty_the_cache(self) -> None:
        """Forget every file the browser kept, as on a phone that never came here."""
        self._devtools.send("Network.clearBrowserCache")

    def start(self) -> None:
        """Count from now on."""
        self._fetched.clear()
        self._from_cache.clear()

    def fetched(self) -> list[Fetched]:
        """The answers that came over the network, once the page has settled."""
        self.page.wait_for_load_state("networkidle")
        return [f for key, f in self._fetched.items() if key not in self._from_cache]

    def wire_bytes(self) -> int:
        return sum(f.wire_bytes for f in self.fetched())

    def _served_from_cache(self, event: dict[str, Any]) -> None:
        self._from_cache.add(event["requestId"])

    def _received(self, event: dict[str, Any]) -> None:
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            self._from_cache.add(event["requestId"])
            return
        self._fetched[event["requestId"]] = Fetched(
            response["url"], event["type"], response["status"]
        )

    def _finished(self, event: dict[str, Any]) -> None:
        fetched = self._fetched.get(event["requestId"])
        if fetched is not None:
            fetched.wire_bytes = int(event["encodedDataLength"])
