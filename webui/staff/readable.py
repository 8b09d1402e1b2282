"""Figures written for people: "3 minutes ago", "1 day 4 hours", "12.3 GB", in their language.

The words come from the Unicode CLDR data Babel carries, so they need no translation.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_timedelta
from babel.units import format_unit
from flask_babel import get_locale

from core.domain.clock import utcnow
from webui.staff import blueprint

_MINUTE, _HOUR, _DAY = 60, 3600, 86400
# Decimal units, as disks are sold.
_SIZES = (
    (10**12, "digital-terabyte"),
    (10**9, "digital-gigabyte"),
    (10**6, "digital-megabyte"),
    (10**3, "digital-kilobyte"),
)


@blueprint.app_template_filter("ago")
def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """Return how long ago a (naive UTC) moment was: "3 minutes ago"."""
    if moment is None:
        return ""
    # A box's clock a little ahead of the hub's must not read "in 1 minute".
    elapsed = min(moment - (now or utcnow()), timedelta(0))
    return format_timedelta(elapsed, add_direction=True, locale=get_locale())


def _unit(value: int, unit: str) -> str:
    return format_unit(value, unit, length="long", locale=get_locale())


@blueprint.app_template_filter("duration")
def duration(seconds: float | None) -> str:
    """Return a duration with its two largest units: "1 day 4 hours", "3 hours 20 minutes"."""
    if seconds is None:
        return ""
    total = round(seconds / _MINUTE) * _MINUTE
    days, rest = divmod(total, _DAY)
    hours, minutes = divmod(rest, _HOUR)
    minutes //= _MINUTE
    if days:
        parts = [_unit(days, "duration-day")] + ([_unit(hours, "duration-hour")] if hours else [])
    elif hours:
        parts = [_unit(hours, "duration-hour")]
        parts += [_unit(minutes, "duration-minute")] if minutes else []
    else:
        parts = [_unit(minutes, "duration-minute")]
    return " ".join(parts)


@blueprint.app_template_filter("size")
def size(count: int | None) -> str:
    """Return a number of bytes in the largest fitting unit, with one decimal: "12.3 GB"."""
    if count is None:
        return ""
    step, unit = next(((s, u) for s, u in _SIZES if count >= s), (1, "digital-byte"))
    return format_unit(count / step, unit, length="short", format="#,##0.#", locale=get_locale())
