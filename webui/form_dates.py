"""Dates and times typed in forms, where the building is, turned into the domain's clock
(naive UTC) and back. A date picker sends 2025-03-25, a plain text box 25/03/2025."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app

from core.domain.errors import N_, DomainError

_TIME = re.compile(r"^(\d{1,2})[:hH.](\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# Browsers without a date picker show a text box, where people write the French way.
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
# A day of the calendar's first or last year cannot always be moved to UTC, or a day on
# (a date ends at 9999): typed in a form, it is a typing mistake, refused as one.
_YEARS = range(2, 9999)


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["RESIDACOEUR"]["timezone"])


def parse_date(typed: str, field: str, missing: str | None = None) -> date | None:
    """Return the date typed in a field, None when empty, or explain what is wrong.

    With ``missing`` (a message marked N_), an empty field is refused with it.
    """
    text = (typed or "").strip()
    if not text:
        if missing:
            raise DomainError(f"{field}_missing", missing, field)
        return None
    iso, day_first = _ISO.match(text), _DAY_FIRST.match(text)
    day = None
    try:
        if iso:
            day = date(int(iso[1]), int(iso[2]), int(iso[3]))
        elif day_first:
            day = date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
    except ValueError:
        pass
    if day is not None and day.year in _YEARS:
        return day
    raise DomainError(
        "date_format",
        N_("Write the date as day/month/year, for example 25/03/2025."),
        field,
    )


def parse_time(typed: str, field: str) -> time:
    """Return the time typed as 18:30 (or 18h30), or explain what is wrong."""
    found = _TIME.match((typed or "").strip())
    if found and int(found[1]) < 24 and int(found[2]) < 60:
        return time(int(found[1]), int(found[2]))
    raise DomainError("time_format", N_("Write the time as 18:30."), field)


def to_utc(day: date, at: time) -> datetime:
    """Return the moment a local day and time stand for, on the domain's clock."""
    return datetime.combine(day, at, tzinfo=_zone()).astimezone(UTC).replace(tzinfo=None)


def local(moment: datetime) -> datetime:
    """Return a moment of the domain's clock as the building's clocks show it."""
    try:
        return moment.replace(tzinfo=UTC).astimezone(_zone()).replace(tzinfo=None)
    except OverflowError:
        # In the last hours of year 9999 (the API takes any instant) the building's
        # clock would pass the calendar's end: the moment is shown as stored.
        return moment
