"""Waiting, as a person does, for something to cross the link between a box and the hub."""

from __future__ import annotations

import time

from playwright.sync_api import Locator, Page, expect

# The link carries a report or an answer in well under a second; the margin is for a
# loaded machine.
TRAVEL_SECONDS = 20


def reload_until_shown(page: Page, shown: Locator) -> None:
    """Reload the page, as a person waiting for news would, until it shows the thing."""
    deadline = time.monotonic() + TRAVEL_SECONDS
    while not (shown.count() and shown.first.is_visible()) and time.monotonic() < deadline:
        page.wait_for_timeout(300)
        page.reload()
    expect(shown.first).to_be_visible()
