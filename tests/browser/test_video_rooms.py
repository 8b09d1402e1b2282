"""Video rooms in real browsers: Chromium's fake camera and microphone, the demo's box.

Each person is a browser context of its own (its own cookies, as on its own phone),
signed in as a household of Bâtiment A, entering the neighbours' room through the page
and the Join button. What each receives is read from WebRTC's own statistics: for each
other person's place, frames decoded and audio energy must grow.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.axe import axe, describe
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.tenant import activate
from tests.browser.words import said

# A camera and a microphone that need no permission and play a test pattern and a tone;
# sound may start without a tap, as after a person's tap on a real phone.
FAKE_MEDIA = [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
]
PHONE = {"width": 390, "height": 844}
TV = {"width": 1280, "height": 720}
# ICE and DTLS on one machine take well under a second; a busy CI machine, a few.
JOIN_MS = 20_000
COME_BACK_SECONDS = 10

# What each place of the page receives now: frames decoded and audio energy, by place.
RECEIVED = """
async ([direct]) => {
  const call = document.getElementById('call');
  const connection = call.connection;
  if (!connection) { return null; }
  const mids = connection.getTransceivers().map((t) => t.mid);
  const byMid = {};
  (await connection.getStats()).forEach((s) => {
    if (s.type === 'inbound-rtp') { byMid[s.mid] = s; }
  });
  const places = {};
  for (let place = 0; 2 + 2 * place + 1 < mids.length; place += 1) {
    const audio = byMid[mids[2 + 2 * place]] || {};
    const video = byMid[mids[3 + 2 * place]] || {};
    places[place] = {
      energy: audio.totalAudioEnergy || 0,
      frames: video.framesDecoded || 0,
    };
  }
  // Two alone: what comes straight from the other's browser, in the other's place.
  if (direct && call.pair) {
    const figures = { energy: 0, frames: 0 };
    (await call.pair.getStats()).forEach((s) => {
      if (s.type !== 'inbound-rtp') { return; }
      figures.energy += s.totalAudioEnergy || 0;
      figures.frames += s.framesDecoded || 0;
    });
    places[call.pairPlace] = figures;
  }
  return places;
}
"""


@pytest.fixture(scope="module")
def cameras(chromium: Browser) -> Iterator[Browser]:
    """A Chromium of its own whose camera and microphone are fake ones."""
    browser = chromium.browser_type.launch(
        executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *FAKE_MEDIA]
    )
    yield browser
    browser.close()


def wait_inside(page: Page, others: int) -> None:
    """Wait until the page shows the other people present, with their media flowing."""
    expect(page.locator(".call__person:not(.call__person--me):visible")).to_have_count(
        others, timeout=JOIN_MS
    )


def received(page: Page, direct: bool = True) -> dict[int, dict[str, float]]:
    """Frames decoded and audio energy received so far, by place: through the box only
    (``direct`` False), or with what comes straight from the other of a pair."""
    figures = page.evaluate(RECEIVED, [direct]) or {}
    return {int(place): each for place, each in figures.items()}


def wait_for_direct(page: Page, state: str | None) -> None:
    """Wait until the page's direct connection is in this state (None: none at all)."""
    deadline = time.monotonic() + JOIN_MS / 1000
    while (now := direct_state(page)) != state:
        if time.monotonic() > deadline:
            pytest.fail(f"the direct connection is {now!r}, not {state!r}")
        time.sleep(0.2)


def direct_state(page: Page) -> str | None:
    """The state of the page's direct connection with the other of a pair, if any."""
    return page.evaluate(
        "() => { const p = document.getElementById('call').pair; "
        "return p ? p.connectionState : null; }"
    )


def visible_places(page: Page) -> dict[str, int]:
    """The places the page shows someone in, by that person's name."""
    items = page.locator(".call__person:not(.call__person--me):visible").evaluate_all(
        "(items) => items.map((item) => [item.querySelector('.call__name').textContent,"
        " item.getAttribute('data-place')])"
    )
    return {name: int(place) for name, place in items}


def assert_everyone_receives_everyone(pages: list[Page], watching: tuple[str, ...] = ()) -> None:
    """Each page gets growing frames and sound from each other person's place, but from
    the places of those who only watch and listen (``watching``, by name)."""
    before = {page: received(page) for page in pages}
    deadline = time.monotonic() + JOIN_MS / 1000
    while True:
        time.sleep(1)
        after = {page: received(page) for page in pages}
        missing = [
            (index, name)
            for index, page in enumerate(pages)
            for name, place in visible_places(page).items()
            if name not in watching
            and not (
                after[page][place]["frames"] > before[page].get(place, {}).get("frames", 0) + 5
                and after[page][place]["energy"] > before[page].get(place, {}).get("energy", 0)
            )
        ]
        if not missing:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"pages not receiving from: {missing}; figures: {after}")


@pytest.fixture(scope="module")
def neighbours(cameras: Browser, demo, households) -> Iterator[list[Page]]:
    """Five neighbours of Bâtiment A, each on their own phone, signed in once for these
    tests as the first members of new households: four in French, the last in Arabic.
    Each test sends them back to their home page when it ends."""
    contexts: list[BrowserContext] = []
    pages = []
    for locale in ("fr", "fr", "fr", "fr", "ar"):
        context = cameras.new_context(
            base_url=demo.url, viewport=PHONE, is_mobile=True, has_touch=True, locale=locale
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(JOIN_MS)
        household = households.take(with_profiles=False)
        activate(page, household, f"Voisin {household.dwelling}", locale)
        pages.append(page)
    yield pages
    for context in contexts:
        context.close()


@pytest.fixture
def people(neighbours: list[Page]) -> Iterator[list[Page]]:
    """The neighbours for one test, out of every room and on a phone's screen after it."""
    yield neighbours
    for page in neighbours:
        page.set_viewport_size(PHONE)
        page.goto("/")


def name_of(page: Page) -> str:
    """The name the page's person shows neighbours."""
    return (page.locator(".who").first.text_content() or "").split("·")[0].strip()


def join(page: Page, demo_url: str, way: str = "Join") -> None:
    """From the list of rooms, the neighbours' café, the charter if asked, then ``way``."""
    page.goto(demo_url + "/rooms")
    page.get_by_role("link", name=said(page, "Go to the room")).first.click()
    charter = page.locator("input[name=charter]")
    if charter.count():
        charter.check()
    page.get_by_role("button", name=said(page, way), exact=True).click()
    expect(page.locator("#call")).to_be_visible()


def rooms_process_of(box_folder: Path) -> int:
    """The pid of the rooms process of the box whose data folder this is."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"appliance.services.rooms" in command and any(
            f'"{box_folder}"'.encode() in part for part in command
        ):
            return int(entry.name)
    raise LookupError(f"no rooms process for {box_folder}")


def test_two_then_four_neighbours_see_and_hear_each_other(people, demo):
    pages = people[:4]
    for page in pages[:2]:
        join(page, demo.url)
    for page in pages[:2]:
        wait_inside(page, 1)
    # Two alone: browser to browser, the box forwarding nothing.
    for page in pages[:2]:
        wait_for_direct(page, "connected")
    assert_everyone_receives_everyone(pages[:2])
    through_box = [received(page, direct=False) for page in pages[:2]]
    time.sleep(2)
    assert [received(page, direct=False) for page in pages[:2]] == through_box

    for page in pages[2:]:
        join(page, demo.url)
    for page in pages:
        wait_inside(page, 3)
    # Three or more: through the box.
    for page in pages:
        wait_for_direct(page, None)
    assert_everyone_receives_everyone(pages)

    # One leaves and comes back: the others see three, then four again.
    pages[1].goto("/rooms")
    for page in (pages[0], pages[2], pages[3]):
        wait_inside(page, 2)
    join(pages[1], demo.url)
    for page in pages:
        wait_inside(page, 3)
    assert_everyone_receives_everyone(pages)


def test_a_tv_watches_and_listens_and_the_home_page_says_who_is_there(people, demo):
    pages, tv = people[:2], people[2]
    for page in pages:
        join(page, demo.url)
    for page in pages:
        wait_inside(page, 1)
    tv.set_viewport_size(TV)
    tv.goto("/")
    live = tv.get_by_role("region", name=said(tv, "Live now"))
    for page in pages:
        expect(live.get_by_text(name_of(page), exact=True)).to_be_visible()
    join(tv, demo.url, "Only watch and listen")
    wait_inside(tv, 2)
    expect(tv.locator("#call-me")).to_be_hidden()
    expect(tv.locator("#call-camera")).to_be_hidden()
    assert_everyone_receives_everyone([tv])
    # The others see the TV's place with words, and receive nothing from it.
    for page in pages:
        wait_inside(page, 2)
        expect(page.get_by_text(said(page, "Watching and listening"))).to_be_visible()
    assert_everyone_receives_everyone(pages, watching=(name_of(tv),))
    for page in pages:
        assert received(page)[visible_places(page)[name_of(tv)]]["frames"] == 0
    # The remote: the arrows go from one control to the next, Back leaves the room.
    expect(pages[0].locator("#call-camera")).to_be_focused()
    pages[0].keyboard.press("ArrowRight")
    expect(pages[0].locator("#call-microphone")).to_be_focused()
    remote = tv.context.new_cdp_session(tv)
    remote.send(
        "Input.dispatchKeyEvent",
        {"type": "rawKeyDown", "windowsVirtualKeyCode": 461, "nativeVirtualKeyCode": 461},
    )
    tv.wait_for_url(lambda url: urlsplit(url).path == "/rooms")


def test_everyone_is_back_in_soon_after_the_rooms_process_is_killed(people, demo):
    pages = people[:2]
    for page in pages:
        join(page, demo.url)
    for page in pages:
        wait_inside(page, 1)
    os.kill(rooms_process_of(demo.data_dir / "box-a"), signal.SIGKILL)
    killed = time.monotonic()
    for page in pages:
        expect(page.locator("#call-status")).to_have_text(
            said(page, "The connection was lost. Coming back into the room…"), timeout=5000
        )
    for page in pages:
        wait_inside(page, 1)
    assert_everyone_receives_everyone(pages)
    assert time.monotonic() - killed < COME_BACK_SECONDS


@pytest.mark.parametrize("index", [0, 4], ids=["fr", "ar"])
def test_the_room_pages_have_no_accessibility_violations(people, index):
    page = people[index]
    page.goto("/rooms")
    assert not (found := axe(page)), describe(found, f"rooms ({index})")
    page.get_by_role("link", name=said(page, "Go to the room")).first.click()
    assert not (found := axe(page)), describe(found, f"room before joining ({index})")
    if page.locator("input[name=charter]").count():
        page.get_by_role("button", name=said(page, "Join"), exact=True).click()
        # Refused without the charter: the form says so, beside the box to tick.
        expect(page.locator("#charter-error")).to_be_visible()
        assert not (found := axe(page)), describe(found, f"room, charter missing ({index})")
        page.locator("input[name=charter]").check()
    page.get_by_role("button", name=said(page, "Join"), exact=True).click()
    # Alone, or with neighbours of another test still leaving: in the room either way.
    inside = re.compile("^" + re.escape(said(page, "You are in the room.")))
    expect(page.locator("#call-status")).to_have_text(inside, timeout=JOIN_MS)
    assert not (found := axe(page)), describe(found, f"in the room ({index})")


def _calling(caller: Page, callee: Page) -> None:
    """The callee takes calls (said in their profile) and stays on their home page; the
    caller calls them from the rooms' page."""
    callee.goto("/me")
    callee.get_by_label(said(callee, "Neighbours of my building may call me by video")).check()
    callee.locator("#calls-title").locator("xpath=..").get_by_role(
        "button", name=said(callee, "Save")
    ).click()
    callee.goto("/")
    caller.goto("/rooms")
    assert not (found := axe(caller)), describe(found, "rooms, with neighbours to call")
    caller.get_by_role("radio", name=name_of(callee)).check()
    charter = caller.locator("input[name=charter]")
    if charter.count():
        charter.check()
    caller.get_by_role("button", name=said(caller, "Call"), exact=True).click()
    expect(caller.locator("#call")).to_be_visible()


def test_a_neighbour_calls_another_who_accepts_from_the_banner(people):
    caller, callee = people[0], people[1]
    _calling(caller, callee)
    banner = callee.locator("#ringing")
    expect(banner).to_be_visible(timeout=JOIN_MS)
    assert not (found := axe(callee)), describe(found, "home page, a call ringing")
    banner.get_by_role("link", name=said(callee, "Answer")).click()
    assert not (found := axe(callee)), describe(found, "the call's page")
    charter = callee.locator("input[name=charter]")
    if charter.count():
        charter.check()
    callee.get_by_role("button", name=said(callee, "Accept"), exact=True).click()
    for page in (caller, callee):
        wait_inside(page, 1)
        wait_for_direct(page, "connected")
    assert_everyone_receives_everyone([caller, callee])


def test_a_declined_call_tells_the_caller(people):
    caller, callee = people[2], people[3]
    _calling(caller, callee)
    expect(callee.locator("#ringing")).to_be_visible(timeout=JOIN_MS)
    callee.locator("#ringing").get_by_role("link").click()
    callee.get_by_role("button", name=said(callee, "Decline"), exact=True).click()
    expect(caller.locator("#call-status")).to_have_text(
        said(caller, "Your neighbour cannot answer now. Try again later."), timeout=JOIN_MS
    )
