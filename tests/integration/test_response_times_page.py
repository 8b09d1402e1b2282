"""The response times page draws its figures as charts on the server, the same figures in
tables beside them, and gives no figure over too few reports."""

import re

from core.domain import access_codes, people, reports
from core.domain import report_status as rs
from tests.conftest import PIN


def _file_and_acknowledge(engine, pepper, small_estate, count: int) -> None:
    with engine.begin() as connection:
        code = access_codes.find(connection, pepper, small_estate.codes["A-01"])
        tenant = people.get_profile(
            connection,
            people.create_profile(
                connection, code["id"], small_estate.dwellings["A-01"], "Odette", "fr", PIN, PIN
            ),
        )
        agent = people.get_staff(connection, small_estate.staff["agent"])
        for n in range(count):
            report_id = reports.file(connection, tenant, "leak", "dwelling", f"Fuite {n}")
            reports.move(connection, agent, report_id, rs.ACKNOWLEDGED)


def _charts(page: str) -> list[str]:
    # Each chart ends where its figure does.
    return re.findall(r'<div class="chart" role="img".*?</figure>', page, re.DOTALL)


def test_times_are_drawn_by_building_and_by_month_with_what_they_rest_on(
    browser, engine, pepper, small_estate
):
    _file_and_acknowledge(engine, pepper, small_estate, 5)
    browser.sign_in_staff("agent")
    page = browser.get("/staff/response-times").get_data(as_text=True)
    by_building, by_month = _charts(page)
    assert 'role="img"' in by_building and 'aria-label="Median times by building"' in by_building
    assert "Bâtiment A" in by_building
    assert by_building.count('class="chart__bar chart__bar--acknowledge"') == 1
    assert "over 5 reports" in by_building
    # Nothing solved yet: no bar, and the chart says why.
    assert "chart__bar--resolve" not in by_building and "To solve: no report" in by_building
    assert by_month.count("chart__bar--acknowledge") == 1
    assert "<script" not in by_building + by_month
    assert "Response times by month of the report" in page


def test_over_too_few_reports_the_chart_and_table_give_no_figure(
    browser, engine, pepper, small_estate
):
    _file_and_acknowledge(engine, pepper, small_estate, 4)
    browser.sign_in_staff("agent")
    page = browser.get("/staff/response-times").get_data(as_text=True)
    by_building, _by_month = _charts(page)
    assert "chart__bar" not in by_building
    assert "too few reports (4)" in by_building and "To acknowledge: no figure" in by_building
    assert "Too few reports for a figure" in page


def test_in_arabic_the_bars_grow_from_the_right(browser, engine, pepper, small_estate):
    _file_and_acknowledge(engine, pepper, small_estate, 5)
    browser.sign_in_staff("agent")
    browser.post("/preferences/language", {"locale": "ar"}, form_page="/staff/response-times")
    by_building, _by_month = _charts(browser.get("/staff/response-times").get_data(as_text=True))
    bars = re.findall(
        r'<rect class="chart__bar[^"]*" x="([0-9.]+)%" y="0" width="([0-9.]+)%"', by_building
    )
    assert bars and all(abs(float(x) + float(width) - 100) < 0.02 for x, width in bars)
