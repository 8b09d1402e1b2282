"""The estate's events arriving over the link, stored the same way on both sides.

An event comes whole, again whenever it changes or is cancelled; a reply says how many
people come (0: no longer). The hub keeps every box's events and hands a residence's
ones, with their replies, to the residence's other boxes. On a box, the residents who
said they would come are told when an event they joined changes, as when its organiser
changes it there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from core.domain import events
from core.messages import residence
from core.messages.events import EventPublished, EventReplied
from core.messages.outgoing import Body
from link.arrivals import hub_checks
from link.envelope import Refused


def _event(connection: Connection, event_id: str) -> dict[str, Any]:
    """Return where an event is shown; refuse a message about one this side never had."""
    where = events.where_shown(connection, event_id)
    if where is None:
        raise Refused(f"{event_id} is not among the events")
    return where


# Both sides


def event_published(connection: Connection, body: EventPublished) -> None:
    event = body.event
    if event.scope not in events.SCOPES:
        raise Refused(f"scope {event.scope!r} is unknown")
    events.keep_copy(connection, event.id, event.model_dump(exclude={"id"}))


def event_replied(connection: Connection, body: EventReplied) -> None:
    _event(connection, body.event_id)
    if not 0 <= body.people <= events.MAX_PEOPLE_PER_REPLY:
        raise Refused(f"people: {body.people} is out of range")
    events.copy_reply(connection, body.event_id, body.profile_id, body.people, body.at)


# At the hub: checked, kept, and handed to the residence's other boxes


def _relay(connection: Connection, box_id: str, event: dict[str, Any], body: Body) -> None:
    if event["scope"] == "residence":
        residence.relay(connection, box_id, event["residence_id"], body, event["id"])


def event_published_at_hub(connection: Connection, box_id: str, body: EventPublished) -> None:
    event = body.event
    before = events.where_shown(connection, event.id)
    hub_checks.own_publication(connection, box_id, event.building_id, event.residence_id, before)
    event_published(connection, body)
    _relay(connection, box_id, _event(connection, event.id), body)


def event_replied_at_hub(connection: Connection, box_id: str, body: EventReplied) -> None:
    event = _event(connection, body.event_id)
    hub_checks.reaches_box(connection, box_id, event)
    hub_checks.first_said_by(connection, box_id, f"reply:{body.event_id}:{body.profile_id}")
    event_replied(connection, body)
    _relay(connection, box_id, event, body)


AT_HUB: dict[type, Callable[..., Any]] = {
    EventPublished: event_published_at_hub,
    EventReplied: event_replied_at_hub,
}
AT_BOX: dict[type, Callable[..., Any]] = {
    EventPublished: event_published,
    EventReplied: event_replied,
}
