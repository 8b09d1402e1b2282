"""Sign a tenant in through the real pages (code, name, PIN) and check the pages they get."""

from __future__ import annotations

import http.cookiejar
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser

SESSION_COOKIE = "residacoeur"


class _PageReader(HTMLParser):
    """Collect the form's CSRF token and the links with their visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.csrf_token = ""
        self.links: list[tuple[str, str]] = []
        self._open_link: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("name") == "csrf_token":
            self.csrf_token = found.get("value") or ""
        elif tag == "a" and found.get("href"):
            self._open_link = [found["href"], ""]

    def handle_data(self, data: str) -> None:
        if self._open_link is not None:
            self._open_link[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open_link is not None:
            self.links.append((self._open_link[0], " ".join(self._open_link[1].split())))
            self._open_link = None


def _read(html: str) -> _PageReader:
    reader = _PageReader()
    reader.feed(html)
    return reader


@dataclass
class Page:
    """A page as the browser received it, after redirects."""

    path: str
    status: int
    body: str


class TenantSession:
    """A browser-like client holding one tenant's session cookie."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> Page:
        return self._open(path, None)

    def post(self, path: str, form_page: Page, fields: dict[str, str]) -> Page:
        """Submit a form with the CSRF token of the page that showed it."""
        data = {"csrf_token": _read(form_page.body).csrf_token, **fields}
        return self._open(path, urllib.parse.urlencode(data).encode())

    def _open(self, path: str, data: bytes | None) -> Page:
        with self.opener.open(self.base_url + path, data, timeout=30) as answer:
            return Page(
                urllib.parse.urlsplit(answer.geturl()).path,
                answer.status,
                answer.read().decode("utf-8"),
            )

    def sign_in(self, code: str, name: str, pin: str) -> str:
        """Type the code, tap the name, type the PIN; return the session cookie's value."""
        code_page = self.get("/welcome")
        who_page = self.post("/welcome", code_page, {"code": code, "next": ""})
        if who_page.path != "/welcome/who":
            raise RuntimeError(f"the code was refused (landed on {who_page.path})")
        member_links = [href for href, text in _read(who_page.body).links if text == name]
        if not member_links:
            raise RuntimeError(f"{name} is not listed in the household")
        pin_page = self.get(member_links[0])
        home = self.post(member_links[0], pin_page, {"pin": pin})
        if home.path != "/":
            raise RuntimeError(f"the PIN was refused (landed on {home.path})")
        return self.cookie()

    def cookie(self) -> str:
        return next(c.value for c in self.jar if c.name == SESSION_COOKIE)


def check_signed_in_page(session: TenantSession, path: str, name: str) -> int:
    """Fetch the page once as the tenant; refuse anything but their own page; return its size.

    wrk counts a redirect to the sign-in page as a success, so the page is looked at
    before it is loaded: a benchmark of redirects or error pages would measure nothing.
    """
    page = session.get(path)
    if page.status != 200 or page.path != urllib.parse.urlsplit(path).path:
        raise RuntimeError(f"{path} answered {page.status} at {page.path}, not the page itself")
    if name not in page.body or 'name="code"' in page.body:
        raise RuntimeError(f"{path} is not {name}'s signed-in page")
    return len(page.body.encode("utf-8"))
