"""The portal's look holds up: every icon exists, small phones at big text, photo warnings."""

import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from core.domain import news, report_status
from core.domain.reports import CATEGORIES, LOCATIONS
from tests.browser.header import menu_link, text_size_button
from tests.browser.households import Households
from tests.browser.tenant import activate, at, choose_tile
from tests.browser.words import said
from webui.vocabulary import CATEGORY_ICONS, LOCATION_ICONS

WEBUI = Path(__file__).resolve().parents[2] / "webui"
SMALLEST_PHONE = {"width": 320, "height": 640}
PHONE = {"width": 360, "height": 740}
# Room left on the first screen for the start of what the page is about: two lines.
FIRST_CONTENT_PX = 80
SMALLEST_TARGET_PX = 44
# What a tenant reaches from the home page and its menus.
PORTAL_PAGES = (
    "/",
    "/reports/new",
    "/reports",
    "/board",
    "/board/new",
    "/help-each-other",
    "/help-each-other/new",
    "/messages",
    "/events",
    "/events?view=month",
    "/events/new",
    "/deals",
    "/services",
    "/help",
    "/notifications",
    "/me",
)


def _drawn_icons() -> set[str]:
    sprite = (WEBUI / "static" / "icons.svg").read_text(encoding="utf-8")
    return set(re.findall(r'<symbol id="i-([^"]+)"', sprite))


def _named_icons() -> set[str]:
    names = set()
    for template in (WEBUI / "templates").rglob("*.html"):
        names |= set(re.findall(r"icon\('([^']+)'\)", template.read_text(encoding="utf-8")))
    names |= set(CATEGORY_ICONS.values()) | set(LOCATION_ICONS.values())
    names |= {f"status-{status}" for status in report_status.STATUSES}
    names |= {f"publisher-{kind}" for kind in news.PUBLISHER_KINDS}
    return names


def test_every_icon_a_page_names_is_drawn_in_the_sprite():
    missing = _named_icons() - _drawn_icons()
    assert not missing, f"icons named by the pages but not drawn in icons.svg: {sorted(missing)}"


def _too_small_targets(page: Page) -> list[str]:
    # A box ticked by touching its words: the label is what the finger aims at.
    return page.evaluate(
        """min => [...document.querySelectorAll(
                'main a, main button, main select, main textarea, main label.choice__tile,'
                + ' main input:not([type=hidden]):not(.choice__input), header a, header button')]
            .filter(el => el.offsetParent !== null && !el.closest('p:not(.aside-link)'))
            .map(el => [el, (el.closest('label') || el).getBoundingClientRect()])
            .filter(([el, box]) => box.width < min || box.height < min)
            .map(([el, box]) => `${el.outerHTML.slice(0, 80)} ${box.width}x${box.height}`)""",
        SMALLEST_TARGET_PX,
    )


def _sideways(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _content_starts(page: Page) -> float:
    """Where the page's own content starts: the first thing shown under its title."""
    return page.evaluate(
        """() => {
            let next = document.querySelector('main h1').nextElementSibling;
            while (next && !next.getClientRects().length) next = next.nextElementSibling;
            return next ? next.getBoundingClientRect().top : 0;
        }"""
    )


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["fr", "en", "ar"])
def test_every_tenant_page_fits_a_small_phone_and_starts_on_its_first_screen(
    page: Page, households: Households, locale: str
):
    activate(page, households.take(with_profiles=False), "Simone", locale)
    for step in (0, 1, 2):
        text_size_button(page, step).click()
        expect(page.locator("html")).to_have_class(re.compile(rf"\btext-size-{step}\b"))
        size = f"A{'+' * step}"
        for path in PORTAL_PAGES:
            page.set_viewport_size(SMALLEST_PHONE)
            page.goto(path)
            overflow = _sideways(page)
            assert overflow <= 0, f"{path} scrolls sideways by {overflow} px ({size})"
            assert not _too_small_targets(page), f"{path}: {_too_small_targets(page)}"
            # On a common phone, the title and the first lines of what follows it show.
            page.set_viewport_size(PHONE)
            starts = _content_starts(page)
            assert starts <= PHONE["height"] - FIRST_CONTENT_PX, (
                f"{path} ({size}): what the page is about starts {starts} px down"
            )
        # Opened, the menu and the settings fit too.
        page.set_viewport_size(SMALLEST_PHONE)
        page.goto("/")
        menu_link(page, "Noticeboard")
        assert _sideways(page) <= 0, f"the open menu scrolls sideways ({size})"
        text_size_button(page, step)
        assert _sideways(page) <= 0, f"the open settings scroll sideways ({size})"

    # The month of events, with no room for seven columns, names each day with events.
    page.goto("/events?view=month")
    if not page.locator(".month__busy").count():
        page.get_by_role("link", name=said(page, "Next month")).click()
    weekday = page.locator(".month__busy .month__weekday").first
    expect(weekday).to_be_visible()
    expect(weekday).to_have_text(re.compile(r"\S"))
    assert _sideways(page) <= 0


def _covered_words(page: Page) -> list[str]:
    """Answers in words whose radio button sits on any line of their words."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.choices--text .choice')].filter(choice => {
            const radio = choice.querySelector('input').getBoundingClientRect();
            return [...choice.querySelector('label span').getClientRects()].some(line =>
                line.left < radio.right && radio.left < line.right
                && line.top < radio.bottom && radio.top < line.bottom);
        }).map(choice => choice.textContent.trim())"""
    )


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_radio_button_never_covers_the_words_of_its_answer(
    page: Page, households: Households, locale: str
):
    activate(page, households.take(with_profiles=False), "Nour", locale)
    for size in ({"width": 360, "height": 740}, {"width": 1280, "height": 800}):
        page.set_viewport_size(size)
        for path in ("/help", "/me"):
            page.goto(path)
            assert page.locator(".choices--text .choice").count()
            assert not _covered_words(page), f"{path} at {size['width']} px"


@pytest.mark.browser
def test_too_many_photos_are_flagged_before_sending_and_nothing_is_sent(
    page: Page, households: Households, tmp_path: Path
):
    activate(page, households.take(with_profiles=False), "Gaston")
    page.goto("/reports/new")
    choose_tile(page, "What is the problem?", CATEGORIES["damage"])
    choose_tile(page, "Where is it?", LOCATIONS["staircase"])
    page.get_by_label(said(page, "Describe the problem"), exact=True).fill("Une marche cassée.")
    photos = [tmp_path / f"marche-{number}.jpg" for number in range(4)]
    for photo in photos:
        Image.new("RGB", (40, 30), "orange").save(photo, "JPEG")
    field = page.get_by_label(said(page, "Photos (optional, up to 3)"), exact=True)
    field.set_input_files(photos)

    warning = said(page, "You can add up to %(max)s photos. Choose fewer photos.", max=3)
    expect(page.get_by_text(warning)).to_be_visible()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile(re.escape(warning)))

    page.get_by_role("button", name=said(page, "Send my report"), exact=True).click()
    expect(field).to_be_focused()
    assert at("/reports/new")(page.url)
    expect(page.get_by_label(said(page, "Describe the problem"), exact=True)).to_have_value(
        "Une marche cassée."
    )
