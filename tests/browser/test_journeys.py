"""Journeys of the people the portal is for, on a 360×740 phone, in French and Arabic: an
elderly tenant files a report with mistakes, corrects them from the list at the top, and
finds the landlord's answer on the home page; a household hands its phone to another
member; a tenant who lost the letter finds when and where to see the caretaker; an agent
at the hub answers an Arabic report knowing whom and how to reach."""

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from playwright.sync_api import BrowserContext, Page, expect

from appliance.demo import content
from core.domain.report_status import LABELS, SCHEDULED
from core.domain.reports import CATEGORIES, LOCATIONS
from tests.browser.demo_box import DemoEstate, console_of
from tests.browser.header import menu_link, text_size_button
from tests.browser.households import Households, staff_member
from tests.browser.staff import sign_in_staff
from tests.browser.tenant import (
    activate,
    at,
    choose_tile,
    file_report,
    is_report_page,
    open_welcome,
    send_report,
    sign_in_tenant,
)
from tests.browser.waiting import reload_until_shown
from tests.browser.words import said, said_plural
from webui.shown_dates import PATTERNS

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESCRIPTIONS = {
    "fr": "L'eau coule sous l'évier de la cuisine depuis ce matin.",
    "ar": "الماء يتسرب تحت حوض المطبخ منذ الصباح.",
}
ANSWER = "Le plombier passera. Merci de laisser l'accès à la cuisine."
ARABIC_ANSWER = "سيأتي السبّاك يوم الخميس صباحًا. شكرًا لترك المطبخ مفتوحًا."


def _fix_from_summary(page: Page, message: str) -> None:
    """Follow a line of the error summary, as a person does, and land in its field."""
    page.locator(".error-summary").get_by_role("link", name=message).click()


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_an_elderly_tenant_corrects_a_report_from_the_summary_and_sees_the_answer_at_home(
    page: Page,
    new_context: Callable[..., BrowserContext],
    demo: DemoEstate,
    households: Households,
    locale: str,
):
    page.set_viewport_size(PHONE)
    household = households.take(with_profiles=False)
    activate(page, household, "Germaine" if locale == "fr" else "Zahra", locale)
    text_size_button(page, 1).click()
    menu_link(page, "Report a problem").click()
    page.wait_for_url(at("/reports/new"))

    # Sent empty: everything wrong is listed at once, at the top, where the page lands.
    send_report(page)
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(
        said_plural(page, "One thing to correct", "%(num)d things to correct", 3)
    )
    expect(summary.get_by_role("link")).to_have_count(3)

    _fix_from_summary(page, said(page, "Choose what kind of problem it is."))
    expect(page.get_by_role("radio").first).to_be_focused()
    choose_tile(page, "What is the problem?", CATEGORIES["leak"])
    _fix_from_summary(page, said(page, "Choose where the problem is."))
    choose_tile(page, "Where is it?", LOCATIONS["dwelling"])
    _fix_from_summary(page, said(page, "Describe the problem in a few words."))
    description = page.get_by_label(said(page, "Describe the problem"), exact=True)
    expect(description).to_be_focused()
    page.keyboard.type(DESCRIPTIONS[locale])
    send_report(page)

    # One message, and it is true: the report is on its way to the landlord.
    page.wait_for_url(is_report_page)
    report_page = page.url
    notices = page.locator("main .notice")
    expect(notices).to_have_count(1)
    sent = said(
        page,
        "Your report was sent to your landlord. Its number is %(reference)s."
        " You can follow it here.",
        reference="@@",
    )
    expect(notices).to_have_text(re.compile(re.escape(sent).replace("@@", r"[A-Z0-9]+-[0-9]+")))

    # At the hub, the agent plans a visit and writes to the household.
    visit = date.today() + timedelta(days=4)
    agent = staff_member(demo.logins, "landlord_agent")
    desk = new_context(console_of(agent)).new_page()
    sign_in_staff(desk, agent)
    desk.goto("/staff/reports")
    row = desk.get_by_role("row").filter(has_text=household.dwelling)
    reload_until_shown(desk, row)
    row.get_by_role("link").first.click()
    choose_tile(desk, "New status", LABELS[SCHEDULED])
    desk.get_by_label(said(desk, 'Planned date (for "Visit planned")'), exact=True).fill(
        visit.isoformat()
    )
    desk.get_by_label(said(desk, "Message for the household"), exact=True).fill(ANSWER)
    desk.get_by_role("button", name=said(desk, "Change the status"), exact=True).click()

    # Back home, what is new comes first: the planned visit, and the landlord's words.
    page.goto("/")
    new_for_me = page.get_by_role("region", name=said(page, "New for you"))
    reload_until_shown(page, new_for_me)
    # The planned day as the portal writes a day: its weekday, day and month.
    pattern = PATTERNS["day"][locale] + (" y" if visit.year != date.today().year else "")
    day = format_date(visit, pattern, locale=locale)
    expect(new_for_me.get_by_text(said(page, "Planned for %(date)s.", date=day))).to_be_visible()
    mine = page.get_by_role("region", name=said(page, "My open reports"))
    expect(mine.get_by_text(ANSWER)).to_be_visible()
    expect(mine.get_by_text(said(page, LABELS[SCHEDULED]), exact=True)).to_be_visible()
    # New for you sits above the reports, which sit above the news.
    assert new_for_me.bounding_box()["y"] < mine.bounding_box()["y"]

    # Once the report's page is read, it is no longer new.
    page.goto(report_page)
    expect(page.get_by_text(ANSWER).first).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("region", name=said(page, "New for you"))).to_have_count(0)


def test_a_household_member_hands_the_phone_to_another(page: Page, households: Households):
    page.set_viewport_size(PHONE)
    household = households.take(with_profiles=True, members=2)
    first, second = household.profiles[:2]
    sign_in_tenant(page, household, first["locale"])

    # "Change person" keeps the phone on the household: no letter, a name then a PIN.
    menu_link(page, "Change person").click()
    page.wait_for_url(at("/welcome/who"))
    page.get_by_role("link", name=second["name"], exact=True).click()
    page.get_by_label(said(page, "Your personal PIN"), exact=True).fill(second["pin"])
    page.get_by_role("button", name=said(page, "Sign in"), exact=True).click()
    page.wait_for_url(at("/"))
    expect(page.locator("html")).to_have_attribute("lang", second["locale"])
    expect(page.get_by_role("heading", level=1)).to_have_text(
        said(page, "Hello %(name)s", name=second["name"])
    )


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_tenant_who_lost_the_letter_finds_when_and_where_to_see_the_caretaker(
    new_context: Callable[..., BrowserContext], locale: str
):
    page = new_context().new_page()
    page.set_viewport_size(PHONE)
    open_welcome(page, locale)
    page.get_by_role("link", name=said(page, "Lost the letter? Forgot your PIN? Get help")).click()
    page.wait_for_url(at("/help"))
    hours = "|".join(re.escape(c[4]) for c in content.CONTACTS if c[2] == "caretaker")
    card = page.locator(".contact-card").filter(has_text=re.compile(hours)).first
    expect(card).to_be_visible()
    expect(card.get_by_role("link", name=re.compile(r"^[0-9 ]+$"))).to_be_visible()


def test_an_agent_answers_an_arabic_report_knowing_whom_and_how_to_reach(
    page: Page,
    new_context: Callable[..., BrowserContext],
    demo: DemoEstate,
    households: Households,
):
    page.set_viewport_size(PHONE)
    household = households.take(with_profiles=False)
    activate(page, household, "Zahra", "ar")
    page.goto("/me")
    contact = page.get_by_label(said(page, "Shown in my messages (optional)"), exact=True)
    contact.fill("06 11 22 33 44")
    page.locator("form", has=contact).get_by_role("button").click()
    file_report(page, "leak", "dwelling", DESCRIPTIONS["ar"])
    report_page = page.url

    agent = staff_member(demo.logins, "landlord_agent")
    desk = new_context(console_of(agent)).new_page()
    sign_in_staff(desk, agent)
    desk.goto("/staff/reports")
    row = desk.get_by_role("row").filter(has_text=household.dwelling)
    reload_until_shown(desk, row)
    expect(row).to_contain_text(DESCRIPTIONS["ar"])
    row.get_by_role("link").first.click()
    # Whom: the name, the home and how they agreed to be reached; and in which language.
    who = desk.get_by_role("region", name=said(desk, "The household"))
    for shown in ("Zahra", household.dwelling, "06 11 22 33 44"):
        expect(who.get_by_text(shown)).to_be_visible()
    writes = "Writes in %(language)s. Answer in %(language)s if you can."
    expect(desk.get_by_text(said(desk, writes, language=said(desk, "Arabic")))).to_be_visible()
    desk.get_by_label(said(desk, "Your message"), exact=True).fill(ARABIC_ANSWER)
    desk.get_by_role("button", name=said(desk, "Send the message"), exact=True).click()

    page.goto(report_page)
    reload_until_shown(page, page.get_by_text(ARABIC_ANSWER))
