"""The landlord's agent plans a visit for a report; the tenant sees the new status and why.

The tenant is on their building's box and the agent in the hub's console: the report
crosses the link to reach the agent, and the answer crosses it back.
"""

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from playwright.sync_api import BrowserContext, Page, expect

from core.domain.report_status import LABELS, RECEIVED, SCHEDULED
from tests.browser.demo_box import DemoEstate, console_of
from tests.browser.households import Households, staff_member
from tests.browser.staff import sign_in_staff
from tests.browser.tenant import activate, choose_tile, file_report
from tests.browser.waiting import reload_until_shown
from tests.browser.words import said
from webui.shown_dates import PATTERNS

pytestmark = pytest.mark.browser

MESSAGE = "Le plombier passera entre 9 h et 12 h. Merci de laisser l'accès à la cuisine."


def test_the_tenant_sees_the_date_and_message_after_the_agent_plans_a_visit(
    page: Page,
    new_context: Callable[..., BrowserContext],
    demo: DemoEstate,
    households: Households,
):
    household = households.take(with_profiles=False)
    activate(page, household, "Gérard")
    file_report(page, "heating_water", "dwelling", "Plus d'eau chaude depuis hier soir.")
    expect(page.get_by_text(said(page, LABELS[RECEIVED]), exact=True).first).to_be_visible()

    agent = staff_member(demo.logins, "landlord_agent")
    desk = new_context(console_of(agent)).new_page()
    sign_in_staff(desk, agent)
    menu = desk.get_by_role("navigation", name=said(desk, "Main menu"), exact=True)
    menu.get_by_role("link", name=said(desk, "Reports"), exact=True).click()
    row = desk.get_by_role("row").filter(has_text=household.dwelling)
    reload_until_shown(desk, row)
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    expect(desk.get_by_text("Plus d'eau chaude depuis hier soir.")).to_be_visible()

    visit = date.today() + timedelta(days=5)
    choose_tile(desk, "New status", LABELS[SCHEDULED])
    desk.get_by_label(said(desk, 'Planned date (for "Visit planned")'), exact=True).fill(
        visit.isoformat()
    )
    desk.get_by_label(said(desk, "Message for the household"), exact=True).fill(MESSAGE)
    desk.get_by_role("button", name=said(desk, "Change the status"), exact=True).click()
    expect(
        desk.get_by_text(
            said(desk, "The report is now: %(status)s.", status=said(desk, LABELS[SCHEDULED]))
        )
    ).to_be_visible()

    reload_until_shown(page, page.get_by_text(said(page, LABELS[SCHEDULED]), exact=True))
    # At the top, the planned day and the landlord's words; the timeline says them again.
    # The planned day as the portal writes a day in French: its weekday, day and month.
    pattern = PATTERNS["day"]["fr"] + (" y" if visit.year != date.today().year else "")
    day = format_date(visit, pattern, locale="fr")
    planned = said(page, "Planned for %(date)s", date=day)
    expect(page.get_by_text(planned, exact=True)).to_be_visible()
    expect(page.locator("#timeline").get_by_text(day)).to_be_visible()
    expect(page.locator("#timeline").get_by_text(MESSAGE)).to_be_visible()
