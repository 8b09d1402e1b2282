"""Operators read the audit log: who did what, on what, and when."""

from core.domain import audit


def test_the_operator_sees_staff_actions_with_who_what_and_target(
    browser, other_browser, small_estate, engine
):
    other_browser.sign_in_staff("agent")
    page = f"/staff/dwellings/{small_estate.dwellings['A-02']}/move-out"
    other_browser.post(page, form_page=page)
    browser.sign_in_staff("operateur")
    log = browser.get("/staff/audit")
    html = log.get_data(as_text=True)
    assert log.status_code == 200
    assert "<h1" in html
    assert "Agent" in html
    assert "dwelling:A-02" in html
    assert "Recorded a household moving out" in html
    assert "/staff/audit" in browser.get("/staff/").get_data(as_text=True)


def test_unknown_actions_are_shown_by_their_code(browser, small_estate, engine):
    with engine.begin() as connection:
        audit.record(connection, None, "box.restart", "box")
    browser.sign_in_staff("operateur")
    assert "box.restart" in browser.get("/staff/audit").get_data(as_text=True)


def test_only_operators_read_the_audit_log(browser, small_estate):
    browser.sign_in_staff("agent")
    assert browser.get("/staff/audit").status_code == 403
    assert "/staff/audit" not in browser.get("/staff/").get_data(as_text=True)
