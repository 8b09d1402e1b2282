"""The box's staff home page says how tenants reach the portal, and what its certificate
means for them, in plain words."""

from __future__ import annotations

import datetime

from core import box_certificate
from tests.support.authority_chain import chain_for


def _install_authority_chain(data_dir, name: str) -> None:
    chain, _root = chain_for(data_dir, name, datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC))
    box_certificate.install_chain(data_dir, chain)


def test_with_its_own_certificate_the_box_says_browsers_will_warn(browser, data_dir, small_estate):
    box_certificate.ensure_certificate(data_dir, ["batiment-a.local"])
    browser.sign_in_staff("agent")

    page = browser.get("/staff/").get_data(as_text=True)

    assert "The portal signs its own certificate" in page
    assert "ask the hub&#39;s operator" in page or "ask the hub's operator" in page
    assert "http://localhost/" in page


def test_with_a_trusted_certificate_the_box_gives_its_public_name(browser, data_dir, small_estate):
    _install_authority_chain(data_dir, "batiment-a.tilleuls.example")
    browser.sign_in_staff("agent")

    page = browser.get("/staff/").get_data(as_text=True)

    assert "https://batiment-a.tilleuls.example/" in page
    assert "until 1 March 2027" in page
    assert "signs its own certificate" not in page


def test_who_prints_no_letters_is_not_told(browser, data_dir, small_estate):
    browser.sign_in_staff("mairie")

    assert "How tenants reach the portal" not in browser.get("/staff/").get_data(as_text=True)
