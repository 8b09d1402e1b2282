"""A report's page starts with what the household looks for: where it stands, the day of
the planned visit and the landlord's last words, before the whole timeline."""

from datetime import timedelta

from core.domain import people, reports
from core.domain import report_status as rs
from core.domain.clock import utcnow


def test_the_planned_day_and_the_landlords_last_words_come_first(browser, engine, small_estate):
    browser.activate(small_estate.codes["A-01"])
    filed = browser.post(
        "/reports",
        {"category": "leak", "location": "dwelling", "description": "Fuite sous l'évier"},
        form_page="/reports/new",
    )
    report_id = filed.headers["Location"].rsplit("/", 1)[1]
    page = browser.get(f"/reports/{report_id}").get_data(as_text=True)
    assert "Dernier message de votre bailleur" not in page and "Prévu le" not in page

    visit = utcnow().date() + timedelta(days=3)
    with engine.begin() as connection:
        agent = people.get_staff(connection, small_estate.staff["agent"])
        reports.move(connection, agent, report_id, rs.SCHEDULED, "Le plombier passe", visit)
        reports.reply(connection, agent, report_id, "Il viendra entre 8 h et 10 h.")
    page = browser.get(f"/reports/{report_id}").get_data(as_text=True)
    top = page[: page.index('id="timeline"')]
    assert "Prévu le" in top and str(visit.year) in top
    assert "Dernier message de votre bailleur" in top and "Il viendra entre 8 h et 10 h." in top
    # The household was told, and the notification leads to the report.
    told = browser.get("/notifications").get_data(as_text=True)
    assert "Votre bailleur a répondu à votre signalement" in told
    assert f"/reports/{report_id}#timeline" in told


def _file(browser, location: str, description: str) -> tuple[str, str]:
    filed = browser.post(
        "/reports",
        {"category": "leak", "location": location, "description": description},
        form_page="/reports/new",
    )
    report_id = filed.headers["Location"].rsplit("/", 1)[1]
    return report_id, browser.get(f"/reports/{report_id}").get_data(as_text=True)


def test_the_tenant_reads_the_reference_and_what_the_landlord_sees_about_them(
    browser, other_browser, small_estate
):
    browser.activate(small_estate.codes["A-01"])
    first_id, first = _file(browser, "hall", "Fuite dans le hall")
    # The confirmation and the page give the reference the agent reads at the hub.
    assert "Son numéro est BA-1." in first and "Signalement numéro BA-1" in first
    seen = first[first.index('id="landlord-sees-title"') : first.index("</section>")]
    assert "Ce que votre bailleur voit de vous" in seen
    for shown in ("Odette", "A-01", "français", "Rien. Votre bailleur vous répond ici."):
        assert shown in seen, shown
    assert 'href="/me"' in seen
    assert "Signalement numéro BA-1" in browser.get("/reports").get_data(as_text=True)

    # A new way to be reached goes with the next report; the first keeps what was sent.
    browser.post("/me/contact", {"contact": "06 12 34 56 78"}, form_page="/me")
    _, second = _file(browser, "dwelling", "Fuite sous l'évier")
    assert "06 12 34 56 78" in second and "Signalement numéro BA-2" in second
    assert "06 12 34 56 78" not in browser.get(f"/reports/{first_id}").get_data(as_text=True)

    # A neighbour reads the common-area report, never who filed it.
    other_browser.activate(small_estate.codes["A-02"], name="Karim")
    neighbour = other_browser.get(f"/reports/{first_id}").get_data(as_text=True)
    assert "Fuite dans le hall" in neighbour and "landlord-sees-title" not in neighbour
