"""A tenant who cannot use a mouse sends a report, writes a post and answers one, with keys
only."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from core.domain.reports import CATEGORIES, LOCATIONS
from tests.browser.focus import focused, note_rest_styles, press_tab, tab_round, tab_until
from tests.browser.households import Households
from tests.browser.tenant import activate, at, is_report_page, sign_in_tenant
from tests.browser.words import said

pytestmark = pytest.mark.browser


def test_the_home_page_and_the_report_form_work_with_the_keyboard_only(
    page: Page, households: Households
):
    sign_in_tenant(page, households.take(with_profiles=True, locale="fr"))
    page.goto("/")
    note_rest_styles(page)
    stops = tab_round(page)
    assert stops[0].text == said(page, "Go to the main content"), "the skip link is not first"

    page.goto("/")
    note_rest_styles(page)
    skip = press_tab(page)
    assert skip is not None and skip.text == said(page, "Go to the main content")
    page.keyboard.press("Enter")
    # The main area is a landing place for the skip link, not a control: it needs no ring.
    assert page.evaluate("document.activeElement.id") == "content", "focus did not move to main"
    report_link = said(page, "Report a problem")
    tab_until(page, lambda f: f.tag == "a" and f.text == report_link)
    page.keyboard.press("Enter")

    page.wait_for_url(at("/reports/new"))
    note_rest_styles(page)
    tab_round(page)
    page.goto("/reports/new")
    note_rest_styles(page)
    categories, locations = list(CATEGORIES), list(LOCATIONS)
    first = tab_until(page, lambda f: f.type == "radio" and f.name == "category")
    assert first.value == categories[0]
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    assert focused(page).value == categories[1] and focused(page).checked
    tab_until(page, lambda f: f.type == "radio" and f.name == "location")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert focused(page).value == locations[2] and focused(page).checked
    tab_until(page, lambda f: f.name == "description")
    page.keyboard.type("La porte de l'escalier claque.")
    tab_until(page, lambda f: f.tag == "button" and f.text == said(page, "Send my report"))
    page.keyboard.press("Enter")

    page.wait_for_url(is_report_page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{said(page, CATEGORIES[categories[1]])} — {said(page, LOCATIONS[locations[2]])}"
    )
    expect(page.get_by_text("La porte de l'escalier claque.")).to_be_visible()


def test_a_newcomer_writes_a_post_and_answers_one_with_the_keyboard_only(
    page: Page, households: Households
):
    activate(page, households.take(with_profiles=False), "Yusuf", "en")
    page.goto("/")
    note_rest_styles(page)
    board = said(page, "Noticeboard")
    tab_until(page, lambda f: f.tag == "a" and f.text == board)
    page.keyboard.press("Enter")
    page.wait_for_url(at("/board"))
    note_rest_styles(page)
    write = said(page, "Write a post")
    tab_until(page, lambda f: f.tag == "a" and f.text == write)
    page.keyboard.press("Enter")

    page.wait_for_url(at("/board/new"))
    note_rest_styles(page)
    tab_round(page)
    page.goto("/board/new")
    note_rest_styles(page)
    tab_until(page, lambda f: f.type == "radio" and f.name == "category")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    assert focused(page).value == "parties" and focused(page).checked
    tab_until(page, lambda f: f.name == "title")
    page.keyboard.type("Bring-and-share lunch")
    tab_until(page, lambda f: f.name == "body")
    page.keyboard.type("Sunday at noon in the courtyard.")
    tab_until(page, lambda f: f.type == "checkbox" and f.name == "charter")
    page.keyboard.press("Space")
    tab_until(page, lambda f: f.tag == "button" and f.text == said(page, "Put it on the board"))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path.startswith("/board/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bring-and-share lunch")

    note_rest_styles(page)
    tab_until(page, lambda f: f.name == "body")
    page.keyboard.type("I will bring a salad.")
    tab_until(page, lambda f: f.tag == "button" and f.text == said(page, "Send my answer"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("I will bring a salad.")).to_be_visible()
