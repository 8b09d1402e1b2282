"""The header every page shares: the language buttons."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.words import LANGUAGE_NAMES, page_locale, said


def language_button(page: Page, locale: str):
    """Return the header button that switches the portal to this language."""
    group = page.get_by_role("group", name=said(page, "Language"), exact=True)
    return group.get_by_role("button", name=LANGUAGE_NAMES[locale], exact=True)


def choose_language(page: Page, locale: str) -> None:
    """Switch the page to a language from the header, as a person does, if it is not in it."""
    if page_locale(page) == locale:
        return
    language_button(page, locale).click()
    expect(page.locator("html")).to_have_attribute("lang", locale)
