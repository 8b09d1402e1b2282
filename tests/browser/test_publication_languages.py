"""A publisher writes news with a version in another language: the form with its
mistakes and the preview showing the version break no WCAG 2.2 A/AA rule."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext

from tests.browser.axe import axe, describe
from tests.browser.demo_box import DemoEstate, console_of
from tests.browser.households import staff_member
from tests.browser.staff import sign_in_staff

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_news_draft_with_an_english_version_is_accessible_refused_and_previewed(
    new_context: Callable[..., BrowserContext], demo: DemoEstate, locale: str
):
    member = staff_member(demo.logins, "publisher")
    page = new_context(console_of(member)).new_page()
    sign_in_staff(page, member, locale)
    page.goto("/staff/news/new")
    page.fill("#title", "Fête des voisins" if locale == "fr" else "حفلة الجيران")
    page.fill("#body", "Samedi dans la cour." if locale == "fr" else "السبت في الساحة.")
    page.locator("input[name=scope]").first.check()
    page.locator("details.version", has=page.locator("#title_en")).locator("summary").click()
    page.fill("#title_en", "Neighbours' party")
    page.locator("form.panel button[type=submit]").click()
    # The English text is missing: the form comes back with the version open.
    assert page.locator("#body_en-error").is_visible()
    problems = [describe(v, f"refused form ({locale})") for v in [axe(page)] if v]
    page.fill("#body_en", "On Saturday in the yard.")
    page.locator("form.panel button[type=submit]").click()
    assert page.locator("article[lang=en] h3").inner_text() == "Neighbours' party"
    problems += [describe(v, f"preview ({locale})") for v in [axe(page)] if v]
    assert not problems, "\n\n".join(problems)
