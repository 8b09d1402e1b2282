"""The header every page shares: the language and text size behind one button, and the
main menu, whose less used entries are behind "Menu"."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from tests.browser.words import LANGUAGE_NAMES, page_locale, said


def open_settings(page: Page) -> None:
    """Open the header's language and text size, as a person taps the button showing them."""
    settings = page.locator(".site-header details.settings")
    if settings.get_attribute("open") is None:
        settings.locator("summary").click()
    expect(settings).to_have_attribute("open", "")


def language_button(page: Page, locale: str) -> Locator:
    """Return the header button that switches the portal to this language."""
    open_settings(page)
    group = page.get_by_role("group", name=said(page, "Language"), exact=True)
    return group.get_by_role("button", name=LANGUAGE_NAMES[locale], exact=True)


def text_size_button(page: Page, step: int) -> Locator:
    """Return the header button that sets the text size (0 normal, 1 large, 2 very large)."""
    open_settings(page)
    label = ("Normal text", "Large text", "Very large text")[step]
    group = page.get_by_role("group", name=said(page, "Text size"), exact=True)
    return group.get_by_role("button", name=f"A{'+' * step} {said(page, label)}", exact=True)


def choose_language(page: Page, locale: str) -> None:
    """Switch the page to a language from the header, as a person does, if it is not in it."""
    if page_locale(page) == locale:
        return
    language_button(page, locale).click()
    expect(page.locator("html")).to_have_attribute("lang", locale)


def menu_link(page: Page, name: str) -> Locator:
    """Return an entry of the tenant's main menu (a link, or the button to change person),
    opening "Menu" when it is in there."""
    menu = page.get_by_role("navigation", name=said(page, "Main menu"), exact=True)
    words = said(page, name)
    entry = menu.get_by_role("link", name=words).or_(menu.get_by_role("button", name=words))
    if not entry.count():
        menu.locator("details.more > summary").click()
    return entry
