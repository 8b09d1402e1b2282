"""The mediator's session form, refused: every mistake listed at the top where the page
lands, each beside its field, what was typed kept, and no accessibility rule broken."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.axe import axe, describe
from tests.browser.demo_box import DemoEstate, console_of
from tests.browser.households import staff_member
from tests.browser.staff import sign_in_staff
from tests.browser.words import said

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_session_without_a_title_nor_a_day_is_refused_at_once(
    new_context: Callable[..., BrowserContext], demo: DemoEstate, locale: str
):
    member = staff_member(demo.logins, "mediator")
    page = new_context(console_of(member)).new_page()
    sign_in_staff(page, member, locale)
    page.goto("/staff/sessions/new")
    page.get_by_label(said(page, "Where"), exact=True).fill("Salle commune")
    page.get_by_label(said(page, "Starts at"), exact=True).fill("14:00")
    page.get_by_label(said(page, "Ends at"), exact=True).fill("16:00")
    page.get_by_role("button", name=said(page, "Put it in the calendar"), exact=True).click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(2)
    expect(page.locator("#title-error")).to_have_text(said(page, "Say what the event is."))
    expect(page.locator("#day-error")).to_have_text(said(page, "Give the day of the event."))
    expect(page.get_by_label(said(page, "Where"), exact=True)).to_have_value("Salle commune")
    violations = axe(page)
    assert not violations, describe(violations, f"the refused session form ({locale})")
