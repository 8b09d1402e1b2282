"""iCalendar files (RFC 5545) of the estate's events, for phones' and computers' calendars.

Times are written in UTC, so every calendar shows them in its own zone; text is escaped
and long lines folded as the standard asks, so accents and Arabic survive.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

PRODUCT = "-//Résidacœur//Événements//FR"


def _escape(text: str) -> str:
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(encoded):
        end = min(start + limit, len(encoded))
        # Back off to the start of a character: continuation bytes are 10xxxxxx.
        while end < len(encoded) and encoded[end] & 0xC0 == 0x80:
            end -= 1
        parts.append(encoded[start:end].decode("utf-8"))
        start, limit = end, 74
    return "\r\n ".join(parts)


def _event_lines(event: dict[str, Any], stamp: datetime) -> list[str]:
    description = event["description"]
    if event.get("organiser"):
        description = f"{description}\n\n{event['organiser']}"
    return [
        "BEGIN:VEVENT",
        f"UID:{event['id']}@residacoeur",
        f"DTSTAMP:{_utc(stamp)}",
        f"LAST-MODIFIED:{_utc(event['updated_at'])}",
        f"DTSTART:{_utc(event['starts_at'])}",
        f"DTEND:{_utc(event['ends_at'])}",
        f"SUMMARY:{_escape(event['title'])}",
        f"LOCATION:{_escape(event['place'])}",
        f"DESCRIPTION:{_escape(description)}",
        f"STATUS:{'CANCELLED' if event.get('cancelled_at') else 'CONFIRMED'}",
        "END:VEVENT",
    ]


def calendar(events: Iterable[dict[str, Any]], name: str, stamp: datetime) -> str:
    """Return an iCalendar file holding these events."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for event in events:
        lines += _event_lines(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
