"""iCalendar files (RFC 5545) of the estate's events, for phones' and computers' calendars.

Times are written in UTC, so every calendar shows them in its own zone; text is escaped
and long lines folded as the standard asks, so accents and Arabic survive.

Text is written from what is stored, which may predate ``typed_text`` or come from
another box: every line break (a lone CR too) becomes ``\n`` and control characters are
dropped, since a raw CR or NUL would end or break the content line. Folding cuts at 75
octets, never inside a UTF-8 character nor between a backslash and what it escapes
(some calendars read such a fold wrongly). Written by hand rather than with the
``icalendar`` package: the file is a dozen properties, and the package would bring
three dependencies to the box and still leave the control characters to us.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from core.domain import typed_text

PRODUCT = "-//Résidacœur//Événements//FR"


def _escape(text: str) -> str:
    return (
        typed_text.without_hidden(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, inside neither a UTF-8 character nor an escape."""
    parts, part, size, limit = [], [], 0, 75
    escaping = False
    for character in line:
        octets = len(character.encode("utf-8"))
        # The character after a backslash goes with it onto the next line if need be.
        if size + octets > limit and not escaping:
            parts.append("".join(part))
            part, size, limit = [], 0, 74
        elif size + octets > limit:
            parts.append("".join(part[:-1]))
            part, size, limit = part[-1:], 1, 74
        part.append(character)
        size += octets
        escaping = character == "\\" and not escaping
    parts.append("".join(part))
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
