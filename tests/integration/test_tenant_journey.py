"""A tenant activates the household's code, reads the news and files a report."""

from tests.conftest import PIN


def test_activating_a_code_creates_the_profile_and_opens_the_home_page(browser, small_estate):
    response = browser.activate(small_estate.codes["A-01"], name="Odette")
    assert response.status_code == 302
    home = browser.get("/")
    assert home.status_code == 200
    assert "Odette" in home.get_data(as_text=True)


def test_a_wrong_code_is_refused_with_what_was_typed_kept(browser, small_estate):
    response = browser.post("/welcome", {"code": "K7QM-4RZT-9XPD"})
    assert response.status_code == 422
    assert 'value="K7QM-4RZT-9XPD"' in response.get_data(as_text=True)


def test_a_second_device_signs_in_with_code_name_and_pin(browser, other_browser, small_estate):
    browser.activate(small_estate.codes["A-01"], name="Odette")
    other_browser.post("/welcome", {"code": small_estate.codes["A-01"]})
    who = other_browser.get("/welcome/who").get_data(as_text=True)
    assert "Odette" in who
    profile_path = who.split('href="/welcome/who/')[1].split('"')[0]
    wrong = other_browser.post(
        f"/welcome/who/{profile_path}", {"pin": "9999"}, form_page=f"/welcome/who/{profile_path}"
    )
    assert wrong.status_code == 422
    right = other_browser.post(
        f"/welcome/who/{profile_path}", {"pin": PIN}, form_page=f"/welcome/who/{profile_path}"
    )
    assert right.status_code == 302
    assert other_browser.get("/").status_code == 200


def test_a_form_without_its_csrf_token_is_refused(browser, small_estate):
    response = browser.client.post("/welcome", data={"code": small_estate.codes["A-01"]})
    assert response.status_code == 400
