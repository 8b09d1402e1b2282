"""What the news, the works notices and the events say when read aloud.

Each item is read in every language it is written in: the original, and each version
(core/domain/text_versions.py); an event, which has no versions, in the box's own
language. A reading is what is said and in which voice, named by a digest of both: the
same words are spoken once, an item changed is a new reading, and a reading no item says
any more can go. Only what the lobby may show is read: an event's what, when and where,
never who organises it.

The words around the fields ("Works", "from … to …") are the domain's own, in each
language, like the days (babel, in the building's time zone).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from babel.dates import format_date, format_time
from sqlalchemy import Connection

from core.domain import events, news, works
from core.domain.text_versions import FIRST_LANGUAGE, LANGUAGES

# Part of every reading's name: a new engine or voice speaks everything again.
ENGINE = "espeak-ng:1"

_WORDS = {
    "fr": {
        "news": "Actualité.",
        "works": "Travaux.",
        "event": "Événement.",
        "from_to": "Du {start} au {end}.",
        "where": "Où : {place}.",
        "what_to_do": "Ce que vous devez faire : {action}",
        "when": "Le {day}, de {start} à {end}.",
    },
    "en": {
        "news": "News.",
        "works": "Works.",
        "event": "Event.",
        "from_to": "From {start} to {end}.",
        "where": "Where: {place}.",
        "what_to_do": "What you need to do: {action}",
        "when": "On {day}, from {start} to {end}.",
    },
    "ar": {
        "news": "خبر.",
        "works": "أشغال.",
        "event": "نشاط.",
        "from_to": "من {start} إلى {end}.",
        "where": "المكان: {place}.",
        "what_to_do": "ما عليك فعله: {action}",
        "when": "يوم {day}، من {start} إلى {end}.",
    },
}


@dataclass(frozen=True)
class Reading:
    """One item said in one language."""

    kind: str
    item_id: str
    language: str
    text: str

    @property
    def name(self) -> str:
        """The reading's name: the same words in the same voice, the same name."""
        said = f"{ENGINE}|{self.language}|{self.text}"
        return hashlib.sha256(said.encode()).hexdigest()[:32]


def _languages(item: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The item's text fields in each language it is written in, original first."""
    original = item.get("language") or FIRST_LANGUAGE
    written = {original: item}
    for language, version in (item.get("versions") or {}).items():
        if language in LANGUAGES and language != original and version:
            written[language] = {**item, **{k: v for k, v in version.items() if v}}
    return written


def _day(value: date, language: str) -> str:
    return format_date(value, "EEEE d MMMM", locale=language)


def _sentences(*parts: str) -> str:
    return " ".join(part.strip() for part in parts if part and part.strip())


def of_news(item: dict[str, Any]) -> list[Reading]:
    """A news item: its title, then its text."""
    return [
        Reading(
            "news",
            item["id"],
            language,
            _sentences(_WORDS[language]["news"], fields["title"] + ".", fields["body"]),
        )
        for language, fields in _languages(item).items()
    ]


def of_works(notice: dict[str, Any]) -> list[Reading]:
    """A works notice: what, from when to when, where, and what tenants must do."""
    readings = []
    for language, fields in _languages(notice).items():
        words = _WORDS[language]
        readings.append(
            Reading(
                "works",
                notice["id"],
                language,
                _sentences(
                    words["works"],
                    fields["title"] + ".",
                    words["from_to"].format(
                        start=_day(notice["starts_on"], language),
                        end=_day(notice["ends_on"], language),
                    ),
                    words["where"].format(place=fields["location"]) if fields["location"] else "",
                    words["what_to_do"].format(action=fields["tenant_action"])
                    if fields.get("tenant_action")
                    else "",
                ),
            )
        )
    return readings


def of_event(event: dict[str, Any], language: str, zone: tzinfo) -> list[Reading]:
    """An event, in the box's language: what, when and where (not who organises it)."""
    words = _WORDS[language]
    starts = _local(event["starts_at"], zone)
    ends = _local(event["ends_at"], zone)
    return [
        Reading(
            "event",
            event["id"],
            language,
            _sentences(
                words["event"],
                event["title"] + ".",
                words["when"].format(
                    day=_day(starts.date(), language),
                    start=format_time(starts, "short", locale=language),
                    end=format_time(ends, "short", locale=language),
                ),
                words["where"].format(place=event["place"]),
                event.get("description") or "",
            ),
        )
    ]


def _local(moment: datetime, zone: tzinfo) -> datetime:
    """A moment of the domain's clock (naive UTC) on the building's clocks."""
    try:
        return moment.replace(tzinfo=UTC).astimezone(zone)
    except OverflowError:
        # In the last hours of year 9999 the building's clock would pass the calendar's
        # end: the moment is said as stored.
        return moment


# As many news items as a tenant's news page shows.
MOST_NEWS = 50


def for_buildings(
    connection: Connection,
    buildings: list[dict[str, Any]],
    language: str,
    zone: tzinfo,
    now: datetime,
) -> list[Reading]:
    """Every reading the portal of these buildings offers now (``language`` is the box's,
    for events), each once."""
    found: dict[str, Reading] = {}
    for building in buildings:
        reaching = {"id": building["id"], "residence_id": building["residence_id"]}
        for item in news.for_building(connection, building, limit=MOST_NEWS, now=now):
            found.update((r.name, r) for r in of_news(item))
        for notice in works.current_for_building(connection, building, now.date()):
            found.update((r.name, r) for r in of_works(notice))
        for event in events.upcoming(connection, reaching):
            if event["cancelled_at"] is None:
                found.update((r.name, r) for r in of_event(event, language, zone))
    return list(found.values())


def of_item(readings: list[Reading], kind: str, item_id: str, reader: str) -> Reading | None:
    """The reading of an item for a reader: in their language, else in the original's."""
    mine = [r for r in readings if (r.kind, r.item_id) == (kind, item_id)]
    return next((r for r in mine if r.language == reader), mine[0] if mine else None)
