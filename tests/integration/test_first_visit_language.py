"""A first visit opens in the language the phone asks for, when the portal speaks it; a
language chosen on the page, or in a profile, wins over the phone's."""

import re


def _language(page: str) -> str:
    return re.search(r'<html lang="(\w+)"', page).group(1)


def test_a_phone_set_to_arabic_opens_the_sign_in_page_in_arabic(browser, small_estate):
    page = browser.get("/welcome", headers={"Accept-Language": "ar-MA,ar;q=0.9,fr;q=0.5"})
    assert _language(page.get_data(as_text=True)) == "ar"
    assert 'dir="rtl"' in page.get_data(as_text=True)


def test_a_language_the_portal_does_not_speak_falls_back_to_the_box_s(browser, small_estate):
    page = browser.get("/welcome", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert _language(page.get_data(as_text=True)) == "fr"
    english = browser.get("/welcome", headers={"Accept-Language": "de-DE,en-GB;q=0.8"})
    assert _language(english.get_data(as_text=True)) == "en"


def test_the_language_chosen_on_the_page_wins_over_the_phone_s(browser, small_estate):
    browser.post("/preferences/language", {"locale": "fr", "next": "/welcome"})
    page = browser.get("/welcome", headers={"Accept-Language": "ar"})
    assert _language(page.get_data(as_text=True)) == "fr"
