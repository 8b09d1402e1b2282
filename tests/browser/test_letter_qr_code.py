"""A tenant scans the QR code of the letter: the sign-in page opens with the code typed
in, and the code is gone from the address bar before anyone else looks at the phone.
An agent prints the letters of a list: they are made while a progress bar fills, then
downloaded as one PDF."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from provisioning import letter_pages, letters
from tests.browser.axe import axe, describe
from tests.browser.demo_box import console_of
from tests.browser.households import Households
from tests.browser.staff import sign_in_staff
from tests.browser.tenant import at
from tests.browser.words import said
from tests.support.letters import page_count, qr_links, text_of
from webui.i18n import catalog

pytestmark = pytest.mark.browser


def test_the_letters_qr_code_opens_the_sign_in_page_with_the_code_filled_in(
    page: Page, households: Households, demo
):
    household = households.take(with_profiles=False)
    batch = letters.batch(
        "Résidacœur",
        demo.url,
        "/welcome",
        date.today(),
        [
            letters.letter(
                household.dwelling, {"name": household.building}, household.code, "fr", []
            )
        ],
    )
    pdf = io.BytesIO()
    letter_pages.write_pdf(batch, pdf, catalog)
    [link] = qr_links(pdf.getvalue())
    assert link.endswith(f"/welcome#code={household.code}")

    page.goto(link)
    field = page.get_by_label(said(page, "Your access code"), exact=True)
    expect(field).to_have_value(household.code)
    assert "#" not in page.url and household.code not in page.url
    assert page.evaluate("location.href") == page.url
    page.get_by_role("button", name=said(page, "Continue"), exact=True).click()
    page.wait_for_url(at("/welcome/join"))
    # Back in the history is the sign-in page without the code.
    page.go_back()
    assert household.code not in page.url


def test_an_agent_imports_a_list_follows_its_letters_being_made_and_downloads_them(
    new_context, demo
):
    agent = next(
        member
        for member in demo.logins["staff"]
        if member["role"] == "landlord_agent" and member["url"].rstrip("/") == demo.url
    )
    page = new_context(console_of(agent)).new_page()
    sign_in_staff(page, agent, "fr")
    page.goto("/staff/dwellings/import")
    building = demo.logins["tenants"][0]["building"]
    rows = [f"QR-{number:02d};{building};1;{number % 5}" for number in range(25)]
    page.get_by_label(said(page, "Or paste the list here"), exact=True).fill(
        "reference;building;staircase;floor\n" + "\n".join(rows)
    )
    page.get_by_role("radio", name="العربية", exact=True).check()
    page.get_by_role("button", name=said(page, "Check and import"), exact=True).click()
    page.wait_for_url(lambda url: "/staff/letters/" in url)
    progress = page.locator("progress")
    if progress.count():
        expect(progress).to_have_attribute("max", "25")
        assert not axe(page), describe(axe(page), "the letters being made")
    download_button = page.get_by_role(
        "button", name=said(page, "Download the letters (PDF)"), exact=True
    )
    expect(download_button).to_be_visible(timeout=60_000)
    violations = axe(page)
    assert not violations, describe(violations, "the letters to download")
    with page.expect_download() as download:
        download_button.click()
    pdf = Path(download.value.path()).read_bytes()
    assert page_count(pdf) == 25
    assert "رمز" in text_of(pdf, page=1)
