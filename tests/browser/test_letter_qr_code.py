"""A tenant scans the QR code of the letter: the sign-in page opens with the code typed
in, and the code is gone from the address bar before anyone else looks at the phone."""

from __future__ import annotations

import io
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from provisioning import letters
from tests.browser.households import Households
from tests.browser.tenant import at
from tests.browser.words import said
from tests.support.letters import qr_links
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
    letters.write_pdf(batch, pdf, catalog)
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
