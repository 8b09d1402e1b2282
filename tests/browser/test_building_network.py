"""The demo estate on a building's network in miniature, met by a neighbour's phone.

The demo runs in one network namespace (the building's boxes, the hub, the broker and
the demo's ACME authority), a phone in another, joined by one link. The phone finds the
box by name with DNS-SD, and opens its public name over HTTPS in Chromium, which trusts
the demo's ACME authority (Pebble) and nothing else: the page opens only if the box's
certificate really chains to it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from playwright.sync_api import Browser, expect

from appliance.demo import authority, layout
from appliance.demo.processes import READY_LINE
from core import box_certificate
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.demo_box import COMMAND, START_SECONDS
from tests.browser.staff import sign_in_staff
from tests.browser.tenant import PIN, at
from tests.browser.words import LANGUAGE_NAMES, said
from tests.support import lan
from tests.support.letters import qr_links

PORT = 8600
# The hub names the boxes at once; Pebble answers in a second or two.
CERTIFICATE_SECONDS = 90
PHONE = {"width": 360, "height": 740}

pytestmark = pytest.mark.skipif(
    lan.unavailable() is not None or not authority.installed(),
    reason=str(lan.unavailable() or "Pebble is not installed"),
)


@dataclass(frozen=True)
class Building:
    link: lan.Link
    estate: layout.Layout
    logins: dict
    public_name: str

    @property
    def box(self) -> layout.Node:
        return self.estate.boxes[0]

    @property
    def https_url(self) -> str:
        return f"https://{self.public_name}:{self.box.https_port}/"


def _wait(condition, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
            raise AssertionError(f"{what} within {seconds} s; the demo said:\n{tail}")
        time.sleep(0.5)


def _authority_chain(data_dir: Path) -> list[x509.Certificate] | None:
    try:
        chain = x509.load_pem_x509_certificates(box_certificate.chain_path(data_dir).read_bytes())
    except (OSError, ValueError):
        return None
    return chain if "Pebble" in chain[0].issuer.rfc4514_string() else None


@pytest.fixture(scope="module")
def building(tmp_path_factory) -> Iterator[Building]:
    folder = tmp_path_factory.mktemp("building")
    with lan.two_sides() as link:
        log = folder / "demo.log"
        link.box.run(
            [
                str(COMMAND),
                "demo",
                "--port",
                str(PORT),
                "--host",
                lan.BOX_ADDRESS,
                "--data-dir",
                str(folder / "estate"),
            ],
            log,
        )
        _wait(lambda: READY_LINE in log.read_text(errors="replace"), START_SECONDS, "ready", log)
        estate = layout.plan(folder / "estate", PORT, lan.BOX_ADDRESS)
        box = estate.boxes[0]
        _wait(
            lambda: _authority_chain(box.data_dir) is not None,
            CERTIFICATE_SECONDS,
            "a certificate from the demo's authority on the first box",
            log,
        )
        chain = _authority_chain(box.data_dir)
        public_name = chain[0].subject.rfc4514_string().removeprefix("CN=")
        logins = json.loads(estate.logins_file.read_text(encoding="utf-8"))
        yield Building(link, estate, logins, public_name)


def test_the_box_is_found_by_name_from_a_neighbour_s_device(building):
    browser = building.link.neighbour.run(
        [sys.executable, "-m", "tests.support.lan_browser", lan.NEIGHBOUR_ADDRESS, "unused.local."],
        building.estate.root / "browser.log",
    )
    try:
        seen = {}

        def found() -> bool:
            lines = (building.estate.root / "browser.log").read_text().splitlines()
            views = [json.loads(line) for line in lines if line.startswith("{")]
            if views:
                seen.update(views[-1]["services"])
            return any(
                service
                and service["port"] == building.box.https_port
                and service["addresses"][:1] == [lan.BOX_ADDRESS]
                for service in seen.values()
            )

        _wait(found, 20, "the box's HTTPS service seen", building.estate.root / "browser.log")
    finally:
        browser.terminate()
        browser.wait(10)
    names = [name for name, service in seen.items() if service and "_https" in name]
    assert any(name.startswith("Résidacœur — Bâtiment A.") for name in names), names


def _phone_home(folder: Path, root_pem: Path) -> Path:
    """A home folder whose certificate store trusts the demo's authority alone."""
    store = folder / ".pki" / "nssdb"
    store.mkdir(parents=True)
    subprocess.run(["certutil", "-d", f"sql:{store}", "-N", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-d", f"sql:{store}", "-A", "-t", "C,,", "-n", "demo-acme", "-i", root_pem],
        check=True,
    )
    return folder


def _phone_chromium(folder: Path, namespace: str) -> Path:
    """Chromium started in the phone's network namespace."""
    launcher = folder / "chromium-in-namespace"
    launcher.write_text(f'#!/bin/sh\nexec ip netns exec {namespace} {CHROMIUM} "$@"\n')
    launcher.chmod(0o755)
    return launcher


def test_a_phone_opens_the_box_s_public_name_and_signs_in_by_scanning_its_letter(
    building, chromium, tmp_path
):
    home = _phone_home(tmp_path / "home", building.estate.root / "authority" / "root.pem")
    # The building's DNS answers the box's public name with its address on the network.
    resolver = f"--host-resolver-rules=MAP {building.public_name} {lan.BOX_ADDRESS}"
    # A browser of its own, from the session's Playwright: another home, another network.
    browser = chromium.browser_type.launch(
        executable_path=str(_phone_chromium(tmp_path, building.link.neighbour.namespace)),
        args=[*CHROMIUM_ARGS, resolver],
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
    )
    try:
        phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        page = phone.new_page()
        page.goto(building.https_url + "welcome")
        assert page.url.startswith(f"https://{building.public_name}:")
        assert page.locator("input[name=code]").is_visible()
        # Plain HTTP by that name goes to HTTPS now that the certificate is trusted.
        plain = f"http://{building.public_name}:{building.box.port}/welcome"
        page.goto(plain)
        assert page.url == building.https_url + "welcome"

        link = _letter_link(browser, building)
        # The letter sends the phone to the box's public name, over HTTPS.
        assert link.startswith(building.https_url + "welcome#code=")
        page.goto(link)
        expect(page.get_by_label(said(page, "Your access code"), exact=True)).to_have_value(
            link.split("#code=")[1]
        )
        page.get_by_role("button", name=said(page, "Continue"), exact=True).click()
        page.wait_for_url(at("/welcome/join"))
        page.get_by_label(said(page, "Your name, as neighbours will see it"), exact=True).fill(
            "Yasmina"
        )
        page.get_by_role("radio", name=LANGUAGE_NAMES["fr"], exact=True).check()
        page.get_by_label(said(page, "Choose a personal PIN"), exact=True).fill(PIN)
        page.get_by_label(said(page, "Type the PIN again"), exact=True).fill(PIN)
        page.get_by_role("button", name=said(page, "Create my profile"), exact=True).click()
        page.wait_for_url(at("/"))
        assert page.url == building.https_url
    finally:
        browser.close()


def _letter_link(browser: Browser, building: Building) -> str:
    """A new dwelling's letter, printed by the landlord's agent on the box: its QR code."""
    agent = next(
        member
        for member in building.logins["staff"]
        if member["role"] == "landlord_agent" and member["url"] == building.box.url
    )
    desk = browser.new_context(base_url=building.https_url.rstrip("/"))
    page = desk.new_page()
    sign_in_staff(page, agent, "fr")
    page.goto("/staff/dwellings/import")
    place = next(b for b in building.logins["boxes"] if b["url"] == building.box.url)
    page.get_by_label(said(page, "Or paste the list here"), exact=True).fill(
        f"reference;building;staircase;floor\nNEW-01;{place['building']};1;2"
    )
    page.get_by_role("radio", name="Français", exact=True).check()
    page.get_by_role("button", name=said(page, "Check and import"), exact=True).click()
    download_button = page.get_by_role(
        "button", name=said(page, "Download the letters (PDF)"), exact=True
    )
    expect(download_button).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        download_button.click()
    [link] = qr_links(Path(download.value.path()).read_bytes())
    desk.close()
    return link
