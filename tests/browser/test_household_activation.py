"""A new household comes in with the code on its letter and finds its building's news."""

import pytest
from playwright.sync_api import Page, expect

from appliance.demo import content
from tests.browser.households import Households
from tests.browser.tenant import PIN, at, open_welcome, type_code
from tests.browser.words import said

pytestmark = pytest.mark.browser


def _building_key(building_name: str) -> str:
    return next(k for k, b in content.BUILDINGS.items() if b["name"] == building_name)


def test_a_new_household_types_its_code_loosely_and_lands_on_works_and_news(
    page: Page, households: Households
):
    household = households.take(with_profiles=False)
    building = _building_key(household.building)
    open_welcome(page)
    type_code(page, household.code.replace("-", "").lower())

    page.wait_for_url(at("/welcome/join"))
    expect(page.get_by_role("heading", level=1)).to_have_text(said(page, "Create your profile"))
    expect(
        page.get_by_text(said(page, "Your code works. You are the first person of your home here."))
    ).to_be_visible()
    page.get_by_label(said(page, "Your name, as neighbours will see it"), exact=True).fill("Louise")
    page.get_by_role("radio", name="Français", exact=True).check()
    page.get_by_label(said(page, "Choose a personal PIN"), exact=True).fill(PIN)
    page.get_by_label(said(page, "Type the PIN again"), exact=True).fill(PIN)
    page.get_by_role("button", name=said(page, "Create my profile"), exact=True).click()

    page.wait_for_url(at("/"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        said(page, "Hello %(name)s", name="Louise")
    )
    sections = page.locator("main > section h2")
    expect(sections.first).to_have_text(said(page, "Works near you"))
    works = page.get_by_role("region", name=said(page, "Works near you"))
    for _publisher, scope, title, _where, starts_in, lasts, _do in content.WORKS:
        current = starts_in + lasts >= 0
        here = not scope.startswith("building:") or scope == f"building:{building}"
        heading = works.get_by_role("heading", name=title, exact=True)
        if current and here:
            expect(heading).to_be_visible()
        else:
            expect(heading).to_have_count(0)

    news = page.get_by_role("region", name=said(page, "News for your building"))
    cards = news.get_by_role("article")
    first_publisher, _scope, _ago, _lasts, first_title, _body = content.NEWS[0]
    expect(cards.first.get_by_role("heading", level=3)).to_have_text(first_title)
    expect(cards.first).to_contain_text(content.PUBLISHERS[first_publisher][0])
    publisher_names = {name for name, _kind in content.PUBLISHERS.values()}
    for card in cards.all():
        assert any(name in card.inner_text() for name in publisher_names), card.inner_text()
    expect(news).not_to_contain_text("Collecte des sapins")
    other_building = next(k for k in content.BUILDINGS if k != building)
    for _publisher, scope, _ago, _lasts, title, _body in content.NEWS:
        if scope == f"building:{other_building}":
            expect(news).not_to_contain_text(title)
