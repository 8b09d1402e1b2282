"""A tenant on a building's slow Wi-Fi: the home page is light, and a page seen again
costs only itself."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.network import NetworkLog
from tests.browser.tenant import sign_in_tenant

pytestmark = pytest.mark.browser

# What an old phone on a shared Wi-Fi fetches in about a second.
FIRST_LOAD_BYTES = 60_000


def test_the_home_page_weighs_little_the_first_time(page: Page, households) -> None:
    sign_in_tenant(page, households.take(with_profiles=True))
    network = NetworkLog(page)
    network.empty_the_cache()
    network.start()
    page.goto("/")
    fetched = network.fetched()
    kinds = {f.kind for f in fetched}
    assert {"Document", "Stylesheet", "Script"} <= kinds, fetched
    total = network.wire_bytes()
    assert total <= FIRST_LOAD_BYTES, f"{total} bytes: {[(f.url, f.wire_bytes) for f in fetched]}"


def test_a_page_seen_again_costs_one_request(page: Page, households) -> None:
    sign_in_tenant(page, households.take(with_profiles=True))
    network = NetworkLog(page)
    page.goto("/")
    network.fetched()
    for again in (lambda: page.goto("/reports"), page.reload, lambda: page.goto("/")):
        network.start()
        again()
        fetched = network.fetched()
        assert [f.kind for f in fetched] == ["Document"], [(f.url, f.status) for f in fetched]
