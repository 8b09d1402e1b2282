"""Bad input gets a clear message in French and the form keeps what the person typed."""

import re

import pytest
from playwright.sync_api import Page, expect

from core.domain.reports import CATEGORIES
from tests.browser.households import Households
from tests.browser.tenant import activate, at, choose_tile, open_welcome, send_report, type_code
from tests.browser.words import said, translated

pytestmark = pytest.mark.browser

WRONG_CODE_MESSAGE = "This code does not work. Check it on your letter, or ask your caretaker."


def _unused_code(households: Households) -> str:
    used = {h.code.replace("-", "") for h in households.all}
    return next(c for c in ("k7qm4rzt9xpd", "w3nc8hpl2vbe") if c.upper() not in used)


def test_a_wrong_code_says_so_in_french_and_keeps_what_was_typed(
    page: Page, households: Households
):
    wrong = _unused_code(households)
    open_welcome(page)
    type_code(page, wrong)

    message = translated("fr", WRONG_CODE_MESSAGE)
    field = page.get_by_label(said(page, "Your access code"), exact=True)
    # Listed at the top, where the page lands, and said beside the field.
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(page.locator("#code-error").get_by_text(message)).to_be_visible()
    expect(field).to_have_value(wrong)
    expect(field).to_have_attribute("aria-invalid", "true")
    # A screen reader says the message when the field gets focus.
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert message != WRONG_CODE_MESSAGE, "the French catalog has no translation of this message"


def test_a_report_without_a_place_is_refused_and_keeps_the_description_and_the_choice(
    page: Page, households: Households
):
    activate(page, households.take(with_profiles=False), "Marcel")
    page.goto("/reports/new")
    choose_tile(page, "What is the problem?", CATEGORIES["noise"])
    description = "Le voisin du dessus fait du bruit chaque nuit vers 2 h."
    page.get_by_label(said(page, "Describe the problem"), exact=True).fill(description)
    send_report(page)

    page.wait_for_url(at("/reports"))
    message = said(page, "Choose where the problem is.")
    expect(page.locator(".error-summary").get_by_role("link", name=message)).to_be_visible()
    expect(page.locator("#location-error").get_by_text(message)).to_be_visible()
    expect(page.get_by_label(said(page, "Describe the problem"), exact=True)).to_have_value(
        description
    )
    questions = page.get_by_role("group", name=said(page, "What is the problem?"), exact=True)
    expect(
        questions.get_by_role("radio", name=said(page, CATEGORIES["noise"]), exact=True)
    ).to_be_checked()
    # The question itself carries the message, for those who hear the page.
    place = page.get_by_role("group", name=said(page, "Where is it?"), exact=True)
    expect(place).to_have_accessible_description(re.compile(re.escape(message)))
