"""The box found by name on the building's network: the real ``residacoeur box announce``
in one network namespace, a neighbour's device browsing from another (python-zeroconf,
and Debian's Avahi as Linux desktops have it)."""

from __future__ import annotations

import re
import signal
import time
from pathlib import Path

import pytest

from tests.support import lan
from tests.support.avahi import avahi_browse

pytestmark = pytest.mark.skipif(lan.unavailable() is not None, reason=str(lan.unavailable()))

BOX_NAME = "Bâtiment A"
FRIENDLY = "Résidacœur — Bâtiment A"
HOST = "batiment-a.local."
TYPES = ("_https._tcp.local.", "_http._tcp.local.")
# Probing the names on the network takes about two seconds; a loaded machine, more.
FOUND_SECONDS = 20


@pytest.fixture
def link():
    with lan.two_sides() as made:
        yield made


def _services(view: dict) -> dict:
    return {
        service["type"]: (name, service) for name, service in view["services"].items() if service
    }


def _finds_both(view: dict, address: str) -> bool:
    services = _services(view)
    return set(services) == set(TYPES) and all(
        address in service["addresses"] for _, service in services.values()
    )


def test_a_neighbour_finds_the_portal_by_its_friendly_name_and_its_host_name(link, tmp_path):
    browser = lan.Browser(link.neighbour, tmp_path / "browser.log", HOST)
    announcer = lan.start_announcer(
        link.box, tmp_path, box_name=BOX_NAME, https_port="443", http_port="8080"
    )
    link_local = link.box.link_local()

    view = browser.wait_for(
        lambda view: (
            _finds_both(view, lan.BOX_ADDRESS)
            and all(link_local in service["addresses"] for _, service in _services(view).values())
            and lan.BOX_ADDRESS in view["host"]
        ),
        FOUND_SECONDS,
    )
    services = _services(view)
    https_name, https = services["_https._tcp.local."]
    http_name, http = services["_http._tcp.local."]
    assert https_name == f"{FRIENDLY}._https._tcp.local."
    assert http_name == f"{FRIENDLY}._http._tcp.local."
    assert (https["port"], http["port"]) == (443, 8080)
    assert https["server"] == http["server"] == HOST
    for service in (https, http):
        assert service["txt"] == {"txtvers": "1", "path": "/", "version": "0.1.0"}
        assert lan.NEIGHBOUR_ADDRESS not in service["addresses"]
    assert view["host"] == sorted([lan.BOX_ADDRESS, link_local])
    # The command became the announcer alone, without the command line's imports.
    assert _resident_mib(announcer.pid) < 40


def _resident_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def test_avahi_lists_the_portal_as_linux_desktops_show_it(link, tmp_path):
    lan.start_announcer(link.box, tmp_path, box_name=BOX_NAME)
    deadline = time.monotonic() + FOUND_SECONDS
    with avahi_browse(link.neighbour, tmp_path) as browse:
        while True:
            resolved = [
                line.split(";")
                for line in browse("_https._tcp").splitlines()
                if line.startswith("=;") and ";IPv4;" in line
            ]
            if resolved or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    assert resolved, "avahi-browse found nothing"
    fields = resolved[0]
    # avahi-browse -p writes bytes other than letters and digits as \DDD in decimal.
    assert _avahi_unescaped(fields[3]) == FRIENDLY
    assert fields[6:10] == ["batiment-a.local", lan.BOX_ADDRESS, "443", fields[9]]
    assert set(fields[9].split(" ")) == {'"txtvers=1"', '"path=/"', '"version=0.1.0"'}


def _avahi_unescaped(text: str) -> str:
    out = bytearray()
    index = 0
    while index < len(text):
        if text[index] == "\\":
            out.append(int(text[index + 1 : index + 4]))
            index += 4
        else:
            out += text[index].encode()
            index += 1
    return out.decode("utf-8")


def test_the_neighbour_sees_the_new_address_when_the_box_changes_address(link, tmp_path):
    browser = lan.Browser(link.neighbour, tmp_path / "browser.log", HOST)
    lan.start_announcer(link.box, tmp_path, box_name=BOX_NAME)
    browser.wait_for(lambda view: _finds_both(view, lan.BOX_ADDRESS), FOUND_SECONDS)

    moved = "10.99.0.9"
    link.box.set_address(lan.BOX_ADDRESS, moved)
    changed_at = time.monotonic()

    def moved_only(view: dict) -> bool:
        return (
            _finds_both(view, moved)
            and not any(lan.BOX_ADDRESS in s["addresses"] for _, s in _services(view).values())
            and moved in view["host"]
            and lan.BOX_ADDRESS not in view["host"]
        )

    browser.wait_for(moved_only, 10)
    # The announcer looks every 3 s; the old address leaves caches a second after the new
    # one arrives.
    assert time.monotonic() - changed_at < 8


def test_the_portal_leaves_the_neighbours_list_as_soon_as_the_box_stops(link, tmp_path):
    browser = lan.Browser(link.neighbour, tmp_path / "browser.log", HOST)
    announcer = lan.start_announcer(link.box, tmp_path, box_name=BOX_NAME)
    browser.wait_for(lambda view: _finds_both(view, lan.BOX_ADDRESS), FOUND_SECONDS)

    announcer.send_signal(signal.SIGTERM)
    stopped_at = time.monotonic()
    # Records last two minutes in caches: only goodbyes take them away this soon.
    browser.wait_for(lambda view: not view["services"] and not view["host"], 5)
    assert announcer.wait(10) == 0
    assert time.monotonic() - stopped_at < 5


def test_a_second_box_of_the_same_name_takes_the_next_name(link, tmp_path):
    first = tmp_path / "first"
    first.mkdir()
    lan.start_announcer(link.box, first, box_name=BOX_NAME)
    browser = lan.Browser(link.neighbour, tmp_path / "browser.log", "batiment-a-2.local.")
    browser.wait_for(lambda view: _finds_both(view, lan.BOX_ADDRESS), FOUND_SECONDS)

    lan.start_announcer(link.neighbour, tmp_path, box_name=BOX_NAME)
    second = f"{FRIENDLY}-2._https._tcp.local."
    view = browser.wait_for(
        lambda view: view["services"].get(second) and lan.NEIGHBOUR_ADDRESS in view["host"],
        FOUND_SECONDS,
    )
    assert view["services"][second]["server"] == "batiment-a-2.local."
    assert lan.NEIGHBOUR_ADDRESS in view["services"][second]["addresses"]
    assert lan.BOX_ADDRESS not in view["services"][second]["addresses"]
    assert view["services"][f"{FRIENDLY}._https._tcp.local."]["server"] == HOST
    assert lan.BOX_ADDRESS not in view["host"]


def test_without_an_address_the_announcer_waits_and_announces_once_it_has_one(link, tmp_path):
    browser = lan.Browser(link.neighbour, tmp_path / "browser.log", HOST)
    link.box.without_ipv6()
    link.box.set_address(lan.BOX_ADDRESS, None)
    announcer = lan.start_announcer(
        link.box, tmp_path, box_name=BOX_NAME, lan_interface=link.box.interface
    )
    log = tmp_path / f"announce-{link.box.namespace}.log"
    deadline = time.monotonic() + FOUND_SECONDS
    while "no address" not in log.read_text(encoding="utf-8") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "no address" in log.read_text(encoding="utf-8")
    assert announcer.poll() is None

    link.box.set_address(None, lan.BOX_ADDRESS)
    browser.wait_for(lambda view: _finds_both(view, lan.BOX_ADDRESS), FOUND_SECONDS)
