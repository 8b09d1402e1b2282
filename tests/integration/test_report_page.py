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
