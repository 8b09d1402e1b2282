"""Staff ways in, through the real sign-in page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page

from tests.browser.header import choose_language
from tests.browser.words import said


def sign_in_staff(page: Page, member: dict[str, str], locale: str = "fr") -> None:
    """Sign in with a username and password; end on the staff home page in this language."""
    page.goto("/staff/sign-in")
    page.get_by_label(said(page, "Username"), exact=True).fill(member["username"])
    page.get_by_label(said(page, "Password"), exact=True).fill(member["password"])
    page.get_by_role("button", name=said(page, "Sign in"), exact=True).click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/staff/")
    # Staff keep the language they chose last time; each test says which one it reads.
    choose_language(page, locale)


def _links(page: Page, scope: Locator) -> list[str]:
    # A link to a file to download (a poster) opens no page.
    hrefs = scope.locator("a[href]:not([download])").evaluate_all("links => links.map(a => a.href)")
    return [urlsplit(h).path for h in hrefs if urlsplit(h).netloc == urlsplit(page.url).netloc]


def _shape(path: str) -> str:
    # Pages that differ only by the id in their address share one template.
    return re.sub(r"/[0-9a-f]{32}(?=/|$)", "/*", path)


def _open(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} answers {response and response.status}"


def each_staff_page(page: Page) -> Iterator[str]:
    """Open, one after the other, the staff pages this person can reach; yield each path.

    The pages are those of the menu, and one of each kind of page they link to (one
    report, one dwelling's forms…). Only links are followed, never forms, so looking
    around changes nothing; pages added to the menu later are found on their own.
    """
    _open(page, "/staff/")
    menu = page.get_by_role("navigation", name=said(page, "Main menu"), exact=True)
    sections = [p for p in _links(page, menu) if p.startswith("/staff/")]
    seen: set[str] = set()
    later: list[str] = []
    for path in dict.fromkeys(["/staff/", *sections]):
        if urlsplit(page.url).path != path:
            _open(page, path)
        seen.add(_shape(path))
        yield path
        later += [p for p in _links(page, page.locator("main")) if p.startswith("/staff/")]
    for path in later:
        if _shape(path) not in seen:
            seen.add(_shape(path))
            _open(page, path)
            yield path
