"""What the front server shows by itself: the page while the web service restarts."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.axe import axe, describe

pytestmark = pytest.mark.browser

UNAVAILABLE = Path(__file__).resolve().parents[2] / "provisioning" / "front_unavailable.html"


def test_the_restarting_page_has_no_accessibility_violations_and_offers_to_try_again(page: Page):
    page.goto(UNAVAILABLE.as_uri())

    violations = axe(page)
    assert not violations, describe(violations, "the page shown while the portal restarts")
    for words in ("Réessayer", "Try again", "حاول مرة أخرى"):
        assert page.get_by_role("link", name=words, exact=True).is_visible()
