"""A tenant's ways in and first steps, through the real pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from core.domain.reports import CATEGORIES, LOCATIONS
from tests.browser.header import choose_language
from tests.browser.households import Household
from tests.browser.words import LANGUAGE_NAMES, said

PIN = "4826"


def at(path: str) -> Callable[[str], bool]:
    """Match a page address by its path, whatever the host and query."""
    return lambda url: urlsplit(url).path == path


def is_report_page(url: str) -> bool:
    """Tell whether an address is the page of one report."""
    return re.fullmatch(r"/reports/(?!new$)[^/]+", urlsplit(url).path) is not None


def open_welcome(page: Page, locale: str = "fr") -> None:
    """Open the code page in a language chosen from the header."""
    page.goto("/welcome")
    choose_language(page, locale)


def type_code(page: Page, code: str) -> None:
    """Type the access code from the letter and continue."""
    page.get_by_label(said(page, "Your access code"), exact=True).fill(code)
    page.get_by_role("button", name=said(page, "Continue"), exact=True).click()


def activate(page: Page, household: Household, name: str, locale: str = "fr") -> None:
    """Type a new household's code and create its first profile; end on the home page."""
    open_welcome(page, locale)
    type_code(page, household.code)
    page.wait_for_url(at("/welcome/join"))
    page.get_by_label(said(page, "Your name, as neighbours will see it"), exact=True).fill(name)
    page.get_by_role("radio", name=LANGUAGE_NAMES[locale], exact=True).check()
    page.get_by_label(said(page, "Choose a personal PIN"), exact=True).fill(PIN)
    page.get_by_label(said(page, "Type the PIN again"), exact=True).fill(PIN)
    page.get_by_role("button", name=said(page, "Create my profile"), exact=True).click()
    page.wait_for_url(at("/"))


def sign_in_tenant(page: Page, household: Household, locale: str = "fr") -> None:
    """Sign in as the household's first member: code, tap the name, PIN; end on home."""
    member = household.member
    open_welcome(page, locale)
    type_code(page, household.code)
    page.wait_for_url(at("/welcome/who"))
    page.get_by_role("link", name=member["name"], exact=True).click()
    page.get_by_label(said(page, "Your personal PIN"), exact=True).fill(member["pin"])
    page.get_by_role("button", name=said(page, "Sign in"), exact=True).click()
    page.wait_for_url(at("/"))
    expect(
        page.get_by_role("heading", level=1, name=said(page, "Hello %(name)s", name=member["name"]))
    ).to_be_visible()


def choose_tile(page: Page, question: str, label: str) -> None:
    """Tap a tile of a multiple-choice question and check it is chosen."""
    group = page.get_by_role("group", name=said(page, question), exact=True)
    group.get_by_text(said(page, label), exact=True).click()
    expect(group.get_by_role("radio", name=said(page, label), exact=True)).to_be_checked()


def fill_report(
    page: Page, category: str, location: str, description: str, photo: Path | None = None
) -> None:
    """Fill the report form: what, where, a description, maybe a photo."""
    choose_tile(page, "What is the problem?", CATEGORIES[category])
    choose_tile(page, "Where is it?", LOCATIONS[location])
    page.get_by_label(said(page, "Describe the problem"), exact=True).fill(description)
    if photo is not None:
        page.get_by_label(said(page, "Photos (optional, up to 3)"), exact=True).set_input_files(
            photo
        )


def send_report(page: Page) -> None:
    """Press the button that sends the report form."""
    page.get_by_role("button", name=said(page, "Send my report"), exact=True).click()


def file_report(
    page: Page, category: str, location: str, description: str, photo: Path | None = None
) -> str:
    """File a report from the form and return the address of its page."""
    page.goto("/reports/new")
    fill_report(page, category, location, description, photo)
    send_report(page)
    page.wait_for_url(is_report_page)
    sent = said(
        page,
        "Your report was sent to your landlord. Its number is %(reference)s."
        " You can follow it here.",
        reference="@@",
    )
    # The reference the landlord's agent will read too: the building's code and a number.
    reference = r"[A-Z0-9]+-[0-9]+"
    expect(page.get_by_text(re.compile(re.escape(sent).replace("@@", reference)))).to_be_visible()
    return urlsplit(page.url).path
