"""Dates typed in staff forms: a date picker sends 2025-03-25, a plain text box 25/03/2025."""

from __future__ import annotations

import re
from datetime import date

from appliance.domain.errors import N_, DomainError

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# Browsers without a date picker show a text box, where people write the French way.
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


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
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if day_first:
            return date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
    except ValueError:
        pass
    raise DomainError(
        "date_format",
        N_("Write the date as day/month/year, for example 25/03/2025."),
        field,
    )
