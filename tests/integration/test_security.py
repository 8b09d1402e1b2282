"""Cookies, headers and escaping that protect tenants on a shared building network."""

from core.domain import news


def test_the_session_cookie_is_http_only_and_same_site(browser, small_estate):
    response = browser.activate(small_estate.codes["A-01"])
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_the_session_cookie_is_secure_when_the_box_is_served_over_https(data_dir, engine):
    from webui import create_app

    app = create_app({"data_dir": str(data_dir), "secure_cookies": True})
    response = app.test_client().get("/welcome", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]
    app.extensions["engine"].dispose()


def test_every_page_forbids_inline_scripts_and_framing(browser):
    response = browser.get("/welcome")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_what_people_write_is_shown_as_text_never_as_markup(browser, engine, small_estate):
    with engine.begin() as connection:
        news.publish(
            connection,
            small_estate.publishers["town_hall"],
            "<script>alert('titre')</script>",
            "<img src=x onerror=alert(1)>",
            "city",
            "Marseille",
        )
    browser.activate(small_estate.codes["A-01"], name="<b>Odette</b>")
    home = browser.get("/").get_data(as_text=True)
    assert "<script>alert" not in home and "<img src=x" not in home and "<b>Odette" not in home
    assert "&lt;script&gt;alert(&#39;titre&#39;)&lt;/script&gt;" in home
    assert "&lt;b&gt;Odette&lt;/b&gt;" in home


def test_a_redirect_after_sign_in_never_leaves_the_box(browser, small_estate):
    browser.post("/welcome", {"code": small_estate.codes["A-01"], "next": "//evil.example/x"})
    response = browser.post(
        "/welcome/join",
        {"display_name": "Odette", "locale": "fr", "pin": "2580", "pin_confirm": "2580"},
        form_page="/welcome/join",
    )
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_a_tenant_stays_signed_in_while_coming_back_each_day(browser, small_estate):
    browser.activate(small_estate.codes["A-01"])
    browser.get("/")
    assert "Set-Cookie" not in browser.get("/").headers
    with browser.client.session_transaction() as session:
        session["seen_on"] = "2020-01-01"
    next_day = browser.get("/")
    assert next_day.status_code == 200
    assert "Expires=" in next_day.headers["Set-Cookie"]


def test_signed_in_pages_are_kept_by_no_cache(browser, small_estate):
    assert "no-store" not in browser.get("/welcome").headers.get("Cache-Control", "")
    browser.activate(small_estate.codes["A-01"])
    for page in ("/", "/reports", "/messages"):
        assert browser.get(page).headers["Cache-Control"] == "private, no-store"


def test_no_page_may_use_the_camera_or_microphone_but_the_video_rooms(browser):
    policy = browser.get("/welcome").headers["Permissions-Policy"]
    assert "camera=()" in policy and "microphone=()" in policy and "geolocation=()" in policy
    for page in ("/rooms", "/rooms/neighbours-x", "/calls", "/calls/x"):
        rooms = browser.get(page).headers["Permissions-Policy"]
        assert "camera=(self)" in rooms and "microphone=(self)" in rooms, page
    for page in ("/roomsx", "/callsign", "/messages"):
        assert "camera=()" in browser.get(page).headers["Permissions-Policy"], page
