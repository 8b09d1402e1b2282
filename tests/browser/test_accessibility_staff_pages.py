"""Every staff page each role can reach breaks no WCAG 2.2 A/AA rule, in French and Arabic."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.axe import axe, describe
from tests.browser.box_in_trouble import put_in_trouble
from tests.browser.demo_box import DemoEstate, console_of
from tests.browser.households import staff_member
from tests.browser.staff import each_staff_page, sign_in_staff
from tests.browser.tenant import open_welcome

pytestmark = pytest.mark.browser

ROLES = ["landlord_agent", "caretaker", "publisher", "merchant", "mediator", "operator"]


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_the_staff_sign_in_page_has_no_accessibility_violations(page: Page, locale: str):
    open_welcome(page, locale)
    page.goto("/staff/sign-in")
    violations = axe(page)
    assert not violations, describe(violations, f"the staff sign-in page ({locale})")


@pytest.mark.parametrize("locale", ["fr", "ar"])
@pytest.mark.parametrize("role", ROLES)
def test_every_staff_page_of_the_role_has_no_accessibility_violations(
    new_context: Callable[..., BrowserContext], demo: DemoEstate, role: str, locale: str
):
    member = staff_member(demo.logins, role)
    page = new_context(console_of(member)).new_page()
    sign_in_staff(page, member, locale)
    problems = []
    for path in each_staff_page(page):
        violations = axe(page)
        if violations:
            problems.append(describe(violations, f"{path} ({role}, {locale})"))
    assert not problems, "\n\n".join(problems)


@pytest.fixture(scope="session")
def box_in_trouble(demo: DemoEstate) -> str:
    """The page of a box with messages set aside, a conflict to decide and little disk."""
    return put_in_trouble(demo)


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_the_pages_of_a_box_in_trouble_have_no_accessibility_violations(
    new_context: Callable[..., BrowserContext], demo: DemoEstate, box_in_trouble: str, locale: str
):
    member = staff_member(demo.logins, "operator")
    page = new_context(demo.hub_url).new_page()
    sign_in_staff(page, member, locale)
    problems = []
    for path in ("/staff/fleet", box_in_trouble):
        response = page.goto(path)
        assert response is not None and response.ok, path
        # What is folded away is checked too: each message set aside, shown.
        page.evaluate("document.querySelectorAll('main details').forEach(d => { d.open = true; })")
        violations = axe(page)
        if violations:
            problems.append(describe(violations, f"{path} (operator, {locale})"))
    assert not problems, "\n\n".join(problems)
