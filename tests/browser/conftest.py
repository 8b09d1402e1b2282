"""Browser fixtures: one real demo estate and one headless Chromium for the whole session.

Each test gets fresh browser contexts (its own cookies, as if on its own phone) and its
own demo households, so tests can run in any order. Tenants use the first box's portal;
staff sign in where the demo put them: the hub's console, or their building's box.
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
    "--disable-link",
    "--no-first-run",
]
# Pages of the box answer in milliseconds; waiting longer only hides a hang.
ACTION_TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[demo_box.DemoEstate]:
    """The demo estate, started with the real command and stopped at the end of the session."""
    try:
        estate = demo_box.start(tmp_path_factory.mktemp("demo-estate"))
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    yield estate
    demo_box.stop(estate)


@pytest.fixture(scope="session")
def households(demo: demo_box.DemoEstate) -> Households:
    """The households of the first box's portal, each handed to one test only."""
    return Households.from_logins(demo.logins, portal=demo.url)


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
    chromium: Browser, demo: demo_box.DemoEstate
) -> Iterator[Callable[..., BrowserContext]]:
    """Open fresh browser contexts, one per person in the test.

    They open on the first box's portal, or at the address given (a staff member's console).
    """
    opened: list[BrowserContext] = []

    def open_context(url: str | None = None) -> BrowserContext:
        context = chromium.new_context(base_url=url or demo.url, locale="fr-FR")
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page in a fresh browser context, as on a device nobody used yet."""
    return new_context().new_page()
