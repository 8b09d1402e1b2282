"""The estate's events between a box and the hub: every box's events go to the hub (a
replaced box gets them back), again whenever one changes or is cancelled, with the
replies of those who come; the hub hands a residence's ones to its other boxes
(docs/PROTOCOL.md, "The noticeboard and the events").
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from core.domain import side
from core.messages.fields import Flag, Id, Integer, Moment, Text
from core.messages.outgoing import Body, Part, to_hub
from core.storage.schema import events


class Event(Part):
    id: Id
    scope: Text(20)
    residence_id: Id
    building_id: Id
    title: Text(140)
    description: Text(5000)
    place: Text(140)
    starts_at: Moment
    ends_at: Moment
    # As people read it; "—" once its organiser erased their name.
    organiser: Text(120)
    # None: no limit.
    capacity: Integer() | None = None
    # Held also in a video room of the box of ``building_id``; absent from older boxes.
    video_room: Flag = False
    created_at: Moment
    updated_at: Moment
    cancelled_at: Moment | None = None


class EventPublished(Body):
    """An event, whole: again when it changes, is cancelled or its organiser's name goes."""

    KIND = "event.published"
    event: Event


class EventReplied(Body):
    """Someone (``profile_id``: a profile's id, of any box) comes with ``people`` in all,
    or no longer comes (0)."""

    KIND = "event.replied"
    event_id: Id
    profile_id: Id
    people: Integer()
    at: Moment


def event_body(connection: Connection, event_id: str) -> EventPublished:
    """Return the message that says an event as it stands."""
    event = connection.execute(select(events).where(events.c.id == event_id)).mappings().one()
    return EventPublished(event=Event(**{name: event[name] for name in Event.model_fields}))


def reply(event_id: str, profile_id: str, people: int, at: datetime) -> EventReplied:
    """Return the message that says someone replied to an event (0: no longer comes)."""
    return EventReplied(event_id=event_id, profile_id=profile_id, people=people, at=at)


def event_published(connection: Connection, event_id: str) -> None:
    """Tell the hub about an event, again whenever it changes or is cancelled."""
    if side.is_linked_box(connection):
        to_hub(connection, event_body(connection, event_id), event_id)


def event_replied(
    connection: Connection, event_id: str, profile_id: str, people: int, at: datetime
) -> None:
    """Tell the hub that someone replied to an event (``people`` 0: no longer comes)."""
    if side.is_linked_box(connection):
        to_hub(connection, reply(event_id, profile_id, people, at), event_id)
