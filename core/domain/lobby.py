"""What the lobby screen shows: what anyone in the entrance hall may read.

Works notices of the building, its news and the district's, the events coming in the
next fortnight (what, when, where: not who organises, which may be a tenant's name, nor
who comes), and who tenants can turn to and when (the caretaker's and the mediator's
cards, which the sign-in page shows to anyone already). Nothing a person wrote on the
noticeboard or in a message, no report, no name of a tenant.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from core.domain import building_contacts, events, news, works

EVENTS_AHEAD = timedelta(days=14)
MOST_NEWS = 6
MOST_EVENTS = 6
MOST_WORKS = 6
# An event as the hall may read it.
_EVENT_FIELDS = ("id", "title", "place", "starts_at", "ends_at", "video_room")


def shown(connection: Connection, building: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The lobby's content for a building (``estate.get_building``'s), at ``now``."""
    reaching = {"id": building["id"], "residence_id": building["residence_id"]}
    coming = [
        {field: event[field] for field in _EVENT_FIELDS}
        for event in events.upcoming(connection, reaching)
        if event["cancelled_at"] is None and event["starts_at"] < now + EVENTS_AHEAD
    ]
    return {
        "works": works.current_for_building(connection, building, now.date())[:MOST_WORKS],
        "news": news.for_building(connection, building, limit=MOST_NEWS, now=now),
        "events": coming[:MOST_EVENTS],
        "contacts": building_contacts.of_buildings(connection, [building["id"]]),
    }
