"""The TV mode in a TV-sized Chromium, driven only by a remote's keys: arrows, OK and
Back. The TV is let in by a household's phone, which scans the TV's QR code; the TV then
reads the news, replies to an event and watches a video room; the phone signs it out."""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.axe import axe, describe
from tests.browser.demo_box import DemoEstate
from tests.browser.households import Households
from tests.browser.network import NetworkLog
from tests.browser.tenant import activate
from tests.browser.words import said

TV = {"width": 1280, "height": 720}
WEBOS = (
    "Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/38.0.2125.122 Safari/537.36 WebAppManager"
)
# The back key of webOS and HbbTV remotes.
BACK = 461
FIRST_LOAD_BYTES = 100_000

pytestmark = pytest.mark.browser
SMALLEST_TEXT_PX = 24
# A remote's presses to reach anything on a page: more means the page is a maze.
MOST_PRESSES = 40

# Where the focus is, and whether it is in view, ringed and readable.
FOCUSED = """
() => {
  const element = document.activeElement;
  const box = element.getBoundingClientRect();
  const style = getComputedStyle(element);
  return {
    text: (element.innerText || element.value || '').trim().replace(/\\s+/g, ' '),
    tag: element.tagName,
    path: element.pathname || null,
    inView: box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
    ring: parseFloat(style.outlineWidth) || 0,
  };
}
"""

# The smallest text on the page, and where it is.
SMALLEST_TEXT = """
() => {
  let smallest = null;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) { continue; }
    const element = node.parentElement;
    if (!element.getClientRects().length || element.closest('.visually-hidden')) { continue; }
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (!smallest || size < smallest.size) {
      smallest = { size, text: node.textContent.trim().slice(0, 40) };
    }
  }
  return smallest;
}
"""


def _press(page: Page, key: str) -> dict:
    page.keyboard.press(key)
    focused = page.evaluate(FOCUSED)
    assert focused["inView"], f"the focus went off-screen on {key}: {focused}"
    return focused


def reach(page: Page, key: str, wanted: Callable[[dict], bool]) -> dict:
    """Press an arrow until the focus is on what is wanted; the focus stays in view and
    ringed all the way."""
    # The remote's script starts with the page.
    page.wait_for_load_state()
    seen = []
    for _ in range(MOST_PRESSES):
        focused = _press(page, key)
        assert focused["ring"] >= 4, f"a focus ring of {focused['ring']} px: {focused}"
        if wanted(focused):
            return focused
        seen.append(focused["text"][:30])
    stops = page.evaluate("() => document.querySelectorAll('[data-tv-stop]').length")
    raise AssertionError(f"not reached with {key} on {page.url} ({stops} blocks): {seen}")


def saying(text: str) -> Callable[[dict], bool]:
    return lambda focused: focused["text"] == text


def leading_to(pattern: str) -> Callable[[dict], bool]:
    return lambda focused: re.fullmatch(pattern, focused["path"] or "") is not None


def menu(page: Page, entry: str) -> None:
    """Steer to the menu's entry with the arrows, as someone looking at the screen
    would (up or down to its row, then along it), and OK."""
    target = page.locator(".tv-nav").get_by_role("link", name=entry, exact=True)
    for _ in range(MOST_PRESSES):
        if target.evaluate("(element) => element === document.activeElement"):
            page.keyboard.press("Enter")
            return
        to = target.bounding_box()
        at_ = page.evaluate("() => document.activeElement.getBoundingClientRect().toJSON()")
        if to["y"] >= at_["bottom"]:
            key = "ArrowDown"
        elif to["y"] + to["height"] <= at_["top"]:
            key = "ArrowUp"
        else:
            key = "ArrowRight" if to["x"] > at_["left"] else "ArrowLeft"
        focused = _press(page, key)
        assert focused["ring"] >= 4, focused
    raise AssertionError(f"{entry!r} never reached")


def back(page: Page) -> None:
    """The remote's Back key (its key code, as a TV sends it)."""
    page.context.new_cdp_session(page).send(
        "Input.dispatchKeyEvent",
        {"type": "rawKeyDown", "windowsVirtualKeyCode": BACK, "nativeVirtualKeyCode": BACK},
    )


def scan(page: Page) -> str:
    """What the QR code on the screen says, read from a picture of the screen."""
    with tempfile.TemporaryDirectory() as folder:
        picture = Path(folder) / "tv.png"
        page.screenshot(path=str(picture))
        read = subprocess.run(
            ["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(picture)],
            capture_output=True,
            text=True,
        )
    return read.stdout.strip()


def let_in(tv: Page, phone: Page, code: str) -> None:
    """The phone scans the TV's QR code and lets it in; the TV opens the portal.

    The code's address is the box's public name, which only the building's network
    resolves: the phone opens the same page at the address this test reaches the box by.
    """
    link = urlsplit(scan(tv))
    assert (link.path, link.query) == ("/tv/approve", f"code={code}")
    phone.goto(f"{link.path}?{link.query}")
    expect(phone.get_by_label(said(phone, "Code shown on the TV"))).to_have_value(code)
    phone.get_by_role("button", name=said(phone, "Let this TV in")).click()
    tv.wait_for_url(at("/"), timeout=15_000)


def assert_readable(page: Page, where: str) -> None:
    smallest = page.evaluate(SMALLEST_TEXT)
    assert smallest["size"] >= SMALLEST_TEXT_PX, f"{where}: {smallest}"
    violations = axe(page)
    assert not violations, describe(violations, where)


@pytest.fixture
def tv(chromium: Browser, demo: DemoEstate) -> Iterator[Page]:
    """A TV's browser: 1280×720, and a user agent that says it is a TV."""
    context = chromium.new_context(base_url=demo.url, locale="fr-FR", viewport=TV, user_agent=WEBOS)
    yield context.new_page()
    context.close()


def test_a_tv_paired_by_a_phone_reads_replies_and_watches_with_the_remote_alone(
    tv: Page, new_context: Callable[..., BrowserContext], households: Households
):
    phone = new_context().new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    activate(phone, households.take(with_profiles=False), "Odile")

    # The TV opens the portal: its browser says it is a TV, so it asks to be let in.
    network = NetworkLog(tv)
    tv.goto("/")
    tv.wait_for_url(at("/tv/pair"))
    assert network.wire_bytes() <= FIRST_LOAD_BYTES
    assert_readable(tv, "the pairing page")
    code = tv.locator(".tv-pairing__code strong").inner_text().replace(" ", "")

    # The phone scans the TV's QR code and lets the TV in; the TV opens the portal.
    let_in(tv, phone, code)
    assert_readable(tv, "the home page")
    phone.reload()
    expect(phone.locator("#tvs .devices li")).to_have_count(1)

    # Read a news item, down its text, and come back with Back.
    reach(tv, "ArrowDown", leading_to(r"/news/.+"))
    tv.keyboard.press("Enter")
    tv.wait_for_url(at_pattern(r"/news/.+"))
    assert_readable(tv, "a news item")
    reach(tv, "ArrowDown", lambda focused: focused["tag"] == "P")
    back(tv)
    tv.wait_for_url(at("/"))

    # Reply to an event: up to the menu, the events, the first event, "I will come".
    menu(tv, said(tv, "Events"))
    tv.wait_for_url(at("/events"))
    assert_readable(tv, "the events")
    reach(tv, "ArrowDown", leading_to(r"/events/[0-9a-f]+"))
    tv.keyboard.press("Enter")
    tv.wait_for_url(at_pattern(r"/events/[0-9a-f]+"))
    assert_readable(tv, "an event")
    replies = {said(tv, "I will come"), said(tv, "Change my reply")}
    reach(tv, "ArrowDown", lambda focused: focused["text"] in replies)
    tv.keyboard.press("Enter")
    thanks = said(tv, "Thank you: the organiser knows you are coming.")
    expect(tv.get_by_text(thanks)).to_be_visible()

    # Watch the neighbours' room (a TV only watches and listens), and leave with Back.
    menu(tv, said(tv, "Video rooms"))
    tv.wait_for_url(at("/rooms"))
    assert_readable(tv, "the video rooms")
    reach(tv, "ArrowDown", saying(said(tv, "Go to the room")))
    tv.keyboard.press("Enter")
    tv.wait_for_url(at_pattern(r"/rooms/.+"))
    expect(tv.get_by_role("button", name=said(tv, "Join"), exact=True)).to_have_count(0)
    charter = tv.locator("input[name=charter]")
    if charter.count():
        reach(tv, "ArrowDown", lambda focused: focused["tag"] == "INPUT")
        tv.keyboard.press("Enter")
        expect(charter).to_be_checked()
    reach(tv, "ArrowDown", saying(said(tv, "Only watch and listen")))
    tv.keyboard.press("Enter")
    expect(tv.locator("#call-status")).to_be_visible()
    expect(tv.locator("#call-camera")).to_be_hidden()
    back(tv)
    tv.wait_for_url(at("/rooms"))

    # Typing is for the phone: the page's QR code leads there.
    tv.goto("/reports/new")
    expect(tv.get_by_role("heading", name=said(tv, "Continue on your phone"))).to_be_visible()
    assert urlsplit(scan(tv)).path == "/reports/new"
    assert_readable(tv, "continue on your phone")

    # The phone signs the TV out; the TV is back on its pairing page.
    phone.reload()
    phone.get_by_role("button", name=said(phone, "Sign this TV out")).click()
    expect(phone.locator("#tvs .devices li")).to_have_count(0)
    tv.goto("/")
    tv.wait_for_url(at("/tv/pair"))


def at(path: str) -> Callable[[str], bool]:
    return lambda url: urlsplit(url).path == path


def at_pattern(pattern: str) -> Callable[[str], bool]:
    return lambda url: re.fullmatch(pattern, urlsplit(url).path) is not None


READ_ON_A_TV = ("/", "/events", "/board", "/deals", "/services", "/reports", "/rooms")


def test_in_arabic_every_tv_page_is_large_and_has_no_accessibility_violations(
    chromium: Browser, demo: DemoEstate, new_context, households: Households
):
    phone = new_context().new_page()
    activate(phone, households.take(with_profiles=False), "Samira", locale="ar")
    context = chromium.new_context(base_url=demo.url, locale="ar", viewport=TV, user_agent=WEBOS)
    tv = context.new_page()
    tv.goto("/")
    let_in(tv, phone, tv.locator(".tv-pairing__code strong").inner_text().replace(" ", ""))
    # A 1080p TV shows the same pages, larger.
    for screen in (TV, {"width": 1920, "height": 1080}):
        tv.set_viewport_size(screen)
        smallest = SMALLEST_TEXT_PX * screen["width"] / TV["width"]
        for page in (*READ_ON_A_TV, "/reports/new"):
            tv.goto(page)
            where = f"{page} on a TV of {screen['height']} lines, in Arabic"
            assert tv.evaluate("() => document.documentElement.dir") == "rtl"
            assert tv.evaluate(SMALLEST_TEXT)["size"] >= smallest - 0.5, where
            violations = axe(tv)
            assert not violations, describe(violations, where)
    context.close()
