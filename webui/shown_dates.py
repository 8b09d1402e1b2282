"""Days and times as each language writes them: a few named formats, defined here once.

Pages and messages never pick a pattern of their own: they use one of ``FORMATS`` (the
template filters ``|day``, ``|date``, ``|time``, ``|moment``, ``|month``, ``|weekday``),
so one thing is written one way in each language, and never with seconds. A day or a
moment of the domain's clock (naive UTC) is shown as the building's clocks show it.

- ``day``: the weekday, the day and the month ("mardi 14 décembre"), the year too when
  it is not this year; ``date``: the same without the weekday, for lists and sentences;
- ``time``: hours and minutes ("16:00", "4:00 PM", "4:00 م");
- ``moment``: the day, then the time;
- ``month``: the month and its year (calendars); ``weekday``: the weekday alone.

Arabic separates with its own comma (،), never the Latin one, and a time is held
together by no-break spaces, so "4:00" and "م" never part at the end of a line.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from babel.dates import format_datetime
from flask_babel import get_locale, get_timezone, to_user_timezone

NO_BREAK_SPACE = "\u00a0"
# Each named format's pattern (Unicode LDML), by language. The formats that name a day
# get the year (" y") when it is not this year.
PATTERNS: dict[str, dict[str, str]] = {
    "day": {"fr": "EEEE d MMMM", "en": "EEEE d MMMM", "ar": "EEEE، d MMMM"},
    "date": {"fr": "d MMMM", "en": "d MMMM", "ar": "d MMMM"},
    "time": {"fr": "HH:mm", "en": "h:mm a", "ar": "h:mm a"},
    "month": {"fr": "MMMM y", "en": "MMMM y", "ar": "MMMM y"},
    "weekday": {"fr": "EEEE", "en": "EEEE", "ar": "EEEE"},
}
_WITH_YEAR = frozenset({"day", "date"})
# A moment is its day, then its time.
MOMENT = {"fr": "{day} à {time}", "en": "{day} at {time}", "ar": "{day}، {time}"}
FORMATS = (*PATTERNS, "moment")


def shown(value: date | datetime | str | None, name: str) -> str:
    """Return a day or a moment written in the person's language by a named format."""
    if not value:
        return ""
    if isinstance(value, str):
        # Days kept in a notification's details are written as ISO text.
        value = date.fromisoformat(value)
    language = str(get_locale())
    if name == "moment":
        return MOMENT[language].format(day=shown(value, "day"), time=shown(value, "time"))
    local = _local(value)
    pattern = PATTERNS[name][language]
    if name in _WITH_YEAR and local.year != datetime.now(get_timezone()).year:
        pattern += " y"
    written = format_datetime(local, pattern, locale=language)
    if name == "time":
        written = written.replace(" ", NO_BREAK_SPACE)
    return written


def _local(value: date | datetime) -> datetime:
    """Return the moment on the building's clock (a day stays the day it is)."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time())
    try:
        return to_user_timezone(value).replace(tzinfo=None)
    except OverflowError:
        # In the last hours of year 9999 (the API takes any instant) the building's
        # clock would pass the calendar's end: the moment is shown as stored.
        return value.replace(tzinfo=None)


def filters() -> dict[str, Any]:
    """Return the template filters, one per named format."""
    return {name: (lambda value, name=name: shown(value, name)) for name in FORMATS}
