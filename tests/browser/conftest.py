"""Browser fixtures: one real demo box and one headless Chromium for the whole session.

Each test gets fresh browser contexts (its own cookies, as if on its own phone) and its
own demo households, so tests can run in any order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser import demo_box
from tests.browser.households import Households

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Pages of the box answer in milliseconds; waiting longer only hides a hang.
ACTION_TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[demo_box.DemoBox]:
    """The demo box, started with the real command and stopped at the end of the session."""
    try:
        box = demo_box.start(tmp_path_factory.mktemp("demo-box"))
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    yield box
    demo_box.stop(box)


@pytest.fixture(scope="session")
def households(demo: demo_box.DemoBox) -> Households:
    """The demo's households, each handed to one test only."""
    return Households.from_logins(demo.logins)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's headless Chromium, driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium package "
            "(scripts/setup.sh installs it).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(
    chromium: Browser, demo: demo_box.DemoBox
) -> Iterator[Callable[[], BrowserContext]]:
    """Open fresh browser contexts on the demo box: one per person in the test."""
    opened: list[BrowserContext] = []

    def open_context() -> BrowserContext:
        context = chromium.new_context(base_url=demo.url, locale="fr-FR")
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


@pytest.fixture
def page(new_context: Callable[[], BrowserContext]) -> Page:
    """A page in a fresh browser context, as on a device nobody used yet."""
    return new_context().new_page()
