"""Every page a tenant sees breaks no WCAG 2.2 A/AA rule, in French and in Arabic.

Each case opens its page the way a person gets there, in a fresh browser, then runs
axe-core on it. Cases that sign in create their own household's profile.
"""

from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import axe, describe
from tests.browser.header import menu_link
from tests.browser.households import Households
from tests.browser.tenant import activate, at, file_report, open_welcome, send_report, type_code
from tests.browser.words import said


def _welcome(page: Page, households: Households, locale: str) -> None:
    open_welcome(page, locale)


def _who(page: Page, households: Households, locale: str) -> None:
    open_welcome(page, locale)
    type_code(page, households.look_at(with_profiles=True).code)
    page.wait_for_url(at("/welcome/who"))


def _pin(page: Page, households: Households, locale: str) -> None:
    _who(page, households, locale)
    page.get_by_role("link", name=households.look_at(with_profiles=True).member["name"]).click()
    page.wait_for_url(lambda url: urlsplit(url).path.startswith("/welcome/who/"))


def _join(page: Page, households: Households, locale: str) -> None:
    _who(page, households, locale)
    page.get_by_role("link", name=said(page, "I live here and I am not on the list")).click()
    page.wait_for_url(at("/welcome/join"))


def _home(page: Page, households: Households, locale: str) -> None:
    activate(page, households.take(with_profiles=False), "Lina", locale)


def _news_item(page: Page, households: Households, locale: str) -> None:
    _home(page, households, locale)
    news = page.get_by_role("region", name=said(page, "News for your building"))
    news.get_by_role("article").first.get_by_role("link").click()
    page.wait_for_url(lambda url: urlsplit(url).path.startswith("/news/"))


def _reports(page: Page, households: Households, locale: str) -> None:
    _home(page, households, locale)
    page.goto("/reports")


def _new_report(page: Page, households: Households, locale: str) -> None:
    _home(page, households, locale)
    page.goto("/reports/new")


def _new_report_with_errors(page: Page, households: Households, locale: str) -> None:
    _new_report(page, households, locale)
    send_report(page)
    expect(
        page.locator("#category-error").get_by_text(
            said(page, "Choose what kind of problem it is.")
        )
    ).to_be_visible()


def _own_report(page: Page, households: Households, locale: str) -> None:
    _home(page, households, locale)
    file_report(page, "damage", "dwelling", "La fenêtre de la cuisine ne ferme plus.")


def _neighbours_report(page: Page, households: Households, locale: str) -> None:
    _reports(page, households, locale)
    neighbours = page.get_by_role(
        "region", name=said(page, "Problems already reported in the building")
    )
    neighbours.get_by_role("article").first.get_by_role("link").click()
    page.wait_for_url(lambda url: urlsplit(url).path.startswith("/reports/"))
    expect(
        page.get_by_role("button", name=said(page, "Me too: my home has this problem"))
    ).to_be_visible()


def _missing_page(page: Page, households: Households, locale: str) -> None:
    open_welcome(page, locale)
    response = page.goto("/there-is-no-such-page")
    assert response is not None and response.status == 404


PAGES: dict[str, Callable[[Page, Households, str], None]] = {
    "welcome": _welcome,
    "who": _who,
    "pin": _pin,
    "join": _join,
    "home": _home,
    "news-item": _news_item,
    "reports": _reports,
    "new-report": _new_report,
    "new-report-with-errors": _new_report_with_errors,
    "own-report": _own_report,
    "neighbours-report": _neighbours_report,
    "not-found": _missing_page,
}

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["fr", "ar"])
@pytest.mark.parametrize("name", list(PAGES))
def test_the_tenant_page_has_no_accessibility_violations(
    page: Page, households: Households, name: str, locale: str
):
    PAGES[name](page, households, locale)
    expect(page.locator("html")).to_have_attribute("lang", locale)
    violations = axe(page)
    assert not violations, describe(violations, f"{page.url} ({name}, {locale})")


def _community_pages(page: Page) -> Iterator[str]:
    """Walk the noticeboard, a post, its flag form, the message form, the messages, the
    notifications and a refused post, as a neighbour would; yield each page's name."""
    menu_link(page, "Noticeboard").click()
    page.wait_for_url(at("/board"))
    yield "board"
    page.get_by_role("article").first.get_by_role("heading").get_by_role("link").click()
    page.wait_for_url(lambda url: urlsplit(url).path.startswith("/board/"))
    yield "post"
    page.get_by_role("link", name=said(page, "Flag this post")).click()
    page.wait_for_url(lambda url: urlsplit(url).path.startswith("/flag/post/"))
    yield "flag"
    page.goto("/help-each-other")
    page.locator("main a[href^='/messages/new']").first.click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/messages/new")
    yield "write-message"
    page.goto("/messages")
    yield "messages"
    page.goto("/notifications")
    yield "notifications"
    page.goto("/board/new")
    page.get_by_role("button", name=said(page, "Put it on the board")).click()
    expect(
        page.locator("#category-error").get_by_text(said(page, "Choose what your post is about."))
    ).to_be_visible()
    yield "new-post-with-errors"
    home = page.get_by_role("region", name=said(page, "Life of the residence"))
    for name, path in (
        ("Help each other", "/help-each-other"),
        ("Events", "/events"),
        ("Local deals", "/deals"),
        ("Services near you", "/services"),
        ("Help", "/help"),
    ):
        page.goto("/")
        home.get_by_role("link", name=said(page, name), exact=True).click()
        page.wait_for_url(at(path))
        yield path
    page.goto("/help-each-other/new")
    yield "new-skill"
    page.goto("/events?view=month")
    yield "events-month"
    page.goto("/events")
    page.get_by_role("article").first.get_by_role("link").first.click()
    page.wait_for_url(lambda url: urlsplit(url).path.startswith("/events/"))
    yield "event"
    page.goto("/events/new")
    yield "new-event"
    page.goto("/me")
    yield "my-profile"


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_the_community_pages_have_no_accessibility_violations(
    page: Page, households: Households, locale: str
):
    _home(page, households, locale)
    problems = []
    for name in _community_pages(page):
        violations = axe(page)
        if violations:
            problems.append(describe(violations, f"{page.url} ({name}, {locale})"))
    assert not problems, "\n\n".join(problems)
