"""A tenant switches the portal to Arabic from the header, and back to French."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.header import language_button
from tests.browser.households import Households
from tests.browser.tenant import activate
from tests.browser.words import translated

pytestmark = pytest.mark.browser


def test_the_header_switches_the_page_to_arabic_right_to_left_and_back_to_french(
    page: Page, households: Households
):
    activate(page, households.take(with_profiles=False), "Samira")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "ltr")

    language_button(page, "ar").click()
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        translated("ar", "Hello %(name)s", name="Samira")
    )
    expect(language_button(page, "ar")).to_have_attribute("aria-pressed", "true")

    language_button(page, "fr").click()
    expect(html).to_have_attribute("lang", "fr")
    expect(html).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        translated("fr", "Hello %(name)s", name="Samira")
    )
    expect(language_button(page, "fr")).to_have_attribute("aria-pressed", "true")
    # The choice is the person's: a new page of the portal keeps it.
    page.goto("/reports")
    expect(html).to_have_attribute("lang", "fr")
