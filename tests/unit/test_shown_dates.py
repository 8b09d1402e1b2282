"""Days and times are written by a few named formats, each language its own way: never
seconds, the Arabic comma in Arabic, a time that never breaks across lines; and no page
picks a pattern of its own."""

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from flask_babel import force_locale

from core.domain.clock import utcnow
from webui.shown_dates import FORMATS, shown

TEMPLATES = Path(__file__).parents[2] / "webui" / "templates"
THIS_YEAR = utcnow().year
# 15:07:45 UTC on a winter day is 16:07:45 in Marseille.
WINTER = datetime(THIS_YEAR, 12, 14, 15, 7, 45)
LAST_YEAR = datetime(THIS_YEAR - 1, 1, 5, 8, 30, 59)


@pytest.fixture
def written(app):
    def write(value, name: str, locale: str) -> str:
        with app.test_request_context(), force_locale(locale):
            return shown(value, name)

    return write


@pytest.mark.parametrize("locale", ["fr", "en", "ar"])
@pytest.mark.parametrize("name", FORMATS)
def test_no_format_writes_seconds(written, name, locale):
    for moment in (WINTER, LAST_YEAR):
        text = written(moment, name, locale)
        assert text
        assert not re.search(r"\d:\d\d:\d\d", text), text
        assert "45" not in text and "59" not in text, text


def test_each_language_writes_a_day_and_a_time_its_own_way(written):
    assert written(WINTER, "day", "fr") == "lundi 14 décembre"
    assert written(WINTER, "time", "fr") == "16:07"
    assert written(WINTER, "moment", "fr") == "lundi 14 décembre à 16:07"
    assert written(WINTER, "day", "en") == "Monday 14 December"
    assert written(WINTER, "time", "en") == "4:07\u00a0PM"
    assert written(WINTER, "day", "ar") == "الاثنين، 14 ديسمبر"
    assert written(WINTER, "time", "ar") == "4:07\u00a0م"
    assert written(WINTER, "month", "fr") == f"décembre {THIS_YEAR}"
    assert written(date(THIS_YEAR, 12, 14), "weekday", "en") == "Monday"


def test_the_year_is_written_only_when_it_is_not_this_year(written):
    assert written(date(THIS_YEAR, 3, 2), "date", "fr") == "2 mars"
    assert written(LAST_YEAR, "date", "fr") == f"5 janvier {THIS_YEAR - 1}"
    assert written(LAST_YEAR, "day", "en").endswith(str(THIS_YEAR - 1))


@pytest.mark.parametrize("name", ["day", "date", "moment"])
def test_arabic_dates_use_the_arabic_comma(written, name):
    for moment in (WINTER, LAST_YEAR):
        text = written(moment, name, "ar")
        assert "," not in text, text
    assert "،" in written(WINTER, "moment", "ar")


@pytest.mark.parametrize("locale", ["fr", "en", "ar"])
def test_a_time_never_breaks_across_lines(written, locale):
    for moment in (WINTER, LAST_YEAR):
        time_text = written(moment, "time", locale)
        assert " " not in time_text, repr(time_text)
        moment_text = written(moment, "moment", locale)
        assert moment_text.endswith(time_text)


def test_nothing_is_written_for_no_date(written):
    assert written(None, "moment", "fr") == ""


def test_no_template_formats_a_date_by_itself():
    raw = re.compile(
        r"\|\s*(datetime|date\s*\(|time\s*\()|format_(date|datetime|time|skeleton)|strftime"
    )
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in raw.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
