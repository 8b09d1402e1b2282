"""An event's form, as tenants and staff fill it in: a day and two times typed where the
building is, read as the domain's moments; the number of places; and the form filled
with an event as it is now, to change it; whether it is held also in a video room."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.domain.errors import N_, DomainError, FieldChecks, Refusals
from webui.form_dates import local, parse_date, parse_time, to_utc

FIELDS = (
    "title",
    "place",
    "day",
    "starts",
    "ends",
    "description",
    "capacity",
    "video_room",
    "organiser",
)

# The domain names the moments an event starts and ends; the form asks for two times.
_FORM_FIELD = {"starts_at": "starts", "ends_at": "ends"}


def _capacity(typed: str) -> int | None:
    capacity = typed.strip()
    if capacity and not capacity.isdigit():
        raise DomainError(
            "capacity_format", N_("Write a number of places, or leave it empty."), "capacity"
        )
    return int(capacity) if capacity else None


def read(values: dict[str, str], checks: FieldChecks) -> dict[str, Any]:
    """Return the event's fields as the domain takes them; what cannot be read is kept
    among ``checks``, and given as None, for the domain to refuse with the rest."""
    day = checks.check(lambda: parse_date(values["day"], "day", N_("Give the day of the event.")))
    starts = checks.check(lambda: parse_time(values["starts"], "starts"))
    ends = checks.check(lambda: parse_time(values["ends"], "ends"))
    starts_at = ends_at = None
    if day is not None and starts is not None:
        starts_at = to_utc(day, starts)
    if starts_at is not None and ends is not None:
        ends_at = to_utc(day, ends)
        if ends_at <= starts_at:
            # An evening that ends after midnight.
            ends_at += timedelta(days=1)
    return {
        "title": values["title"],
        "description": values["description"],
        "place": values["place"],
        "starts_at": starts_at,
        "ends_at": ends_at,
        "capacity": checks.check(lambda: _capacity(values["capacity"])),
        "video_room": values["video_room"] == "yes",
    }


def on_form(error: DomainError, fields: tuple[str, ...]) -> DomainError:
    """Point each refusal of the event's moments at the time field the form shows, and
    list the refusals in the order of the form's ``fields``."""
    refusals = error.refusals if isinstance(error, Refusals) else [error]
    for refusal in refusals:
        refusal.field = _FORM_FIELD.get(refusal.field, refusal.field)
    refusals.sort(key=lambda r: fields.index(r.field) if r.field in fields else len(fields))
    return error


def values_of(event: dict[str, Any]) -> dict[str, str]:
    """Return the form's fields filled with an event as it is now."""
    starts, ends = local(event["starts_at"]), local(event["ends_at"])
    return {
        "title": event["title"],
        "place": event["place"],
        "day": starts.date().isoformat(),
        "starts": starts.strftime("%H:%M"),
        "ends": ends.strftime("%H:%M"),
        "description": event["description"],
        "capacity": str(event["capacity"] or ""),
        "video_room": "yes" if event["video_room"] else "",
        "organiser": event["organiser"],
    }
