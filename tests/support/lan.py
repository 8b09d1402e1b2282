"""A building's network in miniature: two network namespaces joined by a veth pair.

The box's side and a neighbour's side each have an address on one link, as a box and
a phone on the building's Wi-Fi; multicast goes between them and nowhere else, so the
tests neither hear nor disturb the machine's own network. Needs root and ``ip netns``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BOX_ADDRESS = "10.99.0.1"
NEIGHBOUR_ADDRESS = "10.99.0.2"
PREFIX = 24


def unavailable() -> str | None:
    """Say why network namespaces cannot be made here, or None when they can."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    if shutil.which("ip") is None:
        return "the ip command (iproute2) is missing"
    probe = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"ip netns is unavailable: {probe.stderr.strip()}"
    return None


def _ip(*arguments: str) -> None:
    subprocess.run(["ip", *arguments], check=True, capture_output=True, text=True)


@dataclass
class Side:
    """One namespace of the link, its end of the veth pair and the processes run in it."""

    namespace: str
    interface: str
    processes: list[subprocess.Popen] = field(default_factory=list)

    def run(self, command: list[str], log: Path, **environment: str) -> subprocess.Popen:
        """Start ``command`` in this namespace, its output in ``log``; stopped at the end."""
        with log.open("ab") as output:
            process = subprocess.Popen(
                ["ip", "netns", "exec", self.namespace, *command],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                env={**os.environ, **environment},
                cwd=ROOT,
            )
        self.processes.append(process)
        return process

    def output(self, command: list[str], **environment: str) -> str:
        """Run ``command`` in this namespace to its end and return what it printed."""
        done = subprocess.run(
            ["ip", "netns", "exec", self.namespace, *command],
            capture_output=True,
            text=True,
            env={**os.environ, **environment},
            timeout=60,
        )
        return done.stdout + done.stderr

    def set_address(self, old: str | None, new: str | None) -> None:
        """Take ``old`` off this side's interface and give it ``new`` (either may be None)."""
        if old:
            _ip("-n", self.namespace, "addr", "del", f"{old}/{PREFIX}", "dev", self.interface)
        if new:
            _ip("-n", self.namespace, "addr", "add", f"{new}/{PREFIX}", "dev", self.interface)

    def without_ipv6(self) -> None:
        """Take IPv6, and with it the link-local address, off this side's interface."""
        setting = f"net.ipv6.conf.{self.interface}.disable_ipv6=1"
        subprocess.run(
            ["ip", "netns", "exec", self.namespace, "sysctl", "-qw", setting],
            check=True,
            capture_output=True,
        )

    def link_local(self) -> str:
        """Return the IPv6 link-local address of this side's interface, once it has one."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            shown = subprocess.run(
                ["ip", "-n", self.namespace, "-j", "addr", "show", "dev", self.interface],
                capture_output=True,
                text=True,
                check=True,
            )
            for address in json.loads(shown.stdout)[0]["addr_info"]:
                if (address["family"], address["scope"]) == ("inet6", "link") and (
                    "tentative" not in address
                ):
                    return address["local"]
            time.sleep(0.2)
        raise AssertionError(f"{self.interface} got no IPv6 link-local address")

    def stop_processes(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@dataclass(frozen=True)
class Link:
    box: Side
    neighbour: Side


@contextmanager
def two_sides() -> Iterator[Link]:
    """Make two namespaces joined by a veth pair, each end up with its address; remove
    them, and every process started in them, whatever happens."""
    tag = secrets.token_hex(3)
    box = Side(f"rc-box-{tag}", f"rcb{tag}")
    neighbour = Side(f"rc-nbr-{tag}", f"rcn{tag}")
    made: list[str] = []
    try:
        for side in (box, neighbour):
            _ip("netns", "add", side.namespace)
            made.append(side.namespace)
        _ip("link", "add", box.interface, "type", "veth", "peer", "name", neighbour.interface)
        for side, address in ((box, BOX_ADDRESS), (neighbour, NEIGHBOUR_ADDRESS)):
            _ip("link", "set", side.interface, "netns", side.namespace)
            _ip("-n", side.namespace, "addr", "add", f"{address}/{PREFIX}", "dev", side.interface)
            _ip("-n", side.namespace, "link", "set", side.interface, "up")
            _ip("-n", side.namespace, "link", "set", "lo", "up")
        yield Link(box, neighbour)
    finally:
        for side in (box, neighbour):
            side.stop_processes()
        # Deleting a namespace deletes the veth end inside it, and so the pair.
        for namespace in made:
            subprocess.run(["ip", "netns", "del", namespace], capture_output=True)


def start_announcer(side: Side, tmp_path: Path, **settings: str) -> subprocess.Popen:
    """Start the real ``residacoeur box announce`` in ``side``, with these settings."""
    environment = {f"RESIDACOEUR_{name.upper()}": value for name, value in settings.items()}
    return side.run(
        [sys.executable, "-m", "appliance.cli", "box", "announce", "--data-dir", str(tmp_path)],
        tmp_path / f"announce-{side.namespace}.log",
        **environment,
    )


class Browser:
    """A neighbour's device browsing the network: ``tests/support/lan_browser.py`` running
    in its namespace, whose latest view is read from the lines it prints."""

    def __init__(self, side: Side, log: Path, host: str) -> None:
        self.log = log
        self.process = side.run(
            [sys.executable, "-m", "tests.support.lan_browser", NEIGHBOUR_ADDRESS, host], log
        )

    def views(self) -> list[dict[str, Any]]:
        lines = self.log.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def wait_for(self, wanted: Callable[[dict[str, Any]], bool], seconds: float) -> dict:
        """Return the first view from now on that ``wanted`` accepts, within ``seconds``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            views = self.views()
            if views and wanted(views[-1]):
                return views[-1]
            time.sleep(0.1)
        raise AssertionError(
            f"not seen within {seconds} s; the browser saw last:\n"
            f"{json.dumps(self.views()[-1:], ensure_ascii=False, indent=1)}"
        )
