"""The estate's events from the tenant's side: coming events, reply, organise, cancel.

An event's start and end are instants in ISO 8601 (``2025-06-21T18:00:00+02:00``, or
UTC without a zone), not a local day and times as in the page's form: a client knows
its own zone, and an evening that ends after midnight needs no guessing.
"""

from __future__ import annotations

from typing import Any

from flask import g, url_for
from pydantic import Field

from core.domain import events
from webui.api import blueprint
from webui.api.charter_consent import Consenting, accept_charter_if_ticked
from webui.api.fields import (
    Answer,
    Body,
    Count,
    Id,
    Instant,
    RequiredMoment,
    Text,
    WholeNumber,
    choice,
)
from webui.api.shared_shapes import Neighbour
from webui.api.spec import Response, spec
from webui.auth import tenant_required
from webui.database import db
from webui.i18n import translate


class NewEvent(Consenting):
    """An event for the tenant's building or residence."""

    # In the order they are checked: the times and the capacity, then the texts.
    starts_at: RequiredMoment = Field(description="Not in the past. Without a zone, UTC.")
    ends_at: RequiredMoment = Field(
        description="After the start, a week later at most. Without a zone, UTC."
    )
    capacity: WholeNumber = Field(
        None,
        description="Places in all; no limit when left out.",
        json_schema_extra={"minimum": 1, "maximum": events.MAX_CAPACITY},
    )
    scope: Text = choice(events.SCOPES)
    title: Text
    description: Text = ""
    place: Text
    organiser: Text = Field(
        "",
        description="Who organises, as people will read it; the tenant's name when left out.",
    )


class EventReply(Body):
    """How many will come, the tenant included; sent again, it replaces the number."""

    people: WholeNumber = Field(
        json_schema_extra={"minimum": 1, "maximum": events.MAX_PEOPLE_PER_REPLY}
    )


class Event(Answer):
    """An event of the estate."""

    id: Id
    title: str
    description: str
    place: str
    starts_at: Instant
    ends_at: Instant
    scope: str = Field(json_schema_extra={"enum": list(events.SCOPES)})
    scope_label: str
    organiser: Neighbour = Field(
        description="Who organises, as people read it (a committee…); the id is null when "
        "staff organised it."
    )
    mine: bool = Field(description="Organised by the signed-in tenant.")
    capacity: Count | None = Field(description="Null when there is no limit.")
    coming: Count = Field(description="People said to be coming, in all.")
    places_left: Count | None
    my_people: Count | None = Field(description="How many the signed-in tenant said they would be.")
    cancelled_at: Instant | None

    @classmethod
    def of(cls, found: dict[str, Any], me: str) -> Event:
        """An event with how many are coming and ``me``'s reply."""
        capacity = found["capacity"]
        return cls(
            id=found["id"],
            title=found["title"],
            description=found["description"],
            place=found["place"],
            starts_at=found["starts_at"],
            ends_at=found["ends_at"],
            scope=found["scope"],
            scope_label=translate(events.SCOPES[found["scope"]]),
            organiser=Neighbour.of(found["organiser_profile_id"], found["organiser"]),
            mine=found["organiser_profile_id"] == me,
            capacity=capacity,
            coming=found["coming"],
            places_left=None if capacity is None else max(0, capacity - found["coming"]),
            my_people=found["my_people"],
            cancelled_at=found["cancelled_at"],
        )


class EventList(Answer):
    """Events not ended yet, soonest first."""

    events: list[Event]


def _event(event_id: str) -> Event:
    found = events.get(db(), events.building_of(g.profile), event_id, g.profile["id"])
    return Event.of(found, g.profile["id"])


@blueprint.get("/events")
@tenant_required
@spec.validate(resp=Response(HTTP_200=EventList), tags=["community"])
def event_list():
    """Events reaching my building that have not ended, soonest first."""
    found = events.upcoming(db(), events.building_of(g.profile), g.profile["id"])
    return EventList(events=[Event.of(e, g.profile["id"]) for e in found])


@blueprint.post("/events")
@tenant_required
@spec.validate(resp=Response(HTTP_201=Event, HTTP_403=None), tags=["community"])
def organise_event(json: NewEvent):
    """Put an event for my building or my residence in the estate's calendar."""
    # Recorded first: the domain refuses a first event until the charter is accepted.
    accept_charter_if_ticked(json)
    event_id = events.organise(
        db(),
        g.profile,
        events.building_of(g.profile),
        json.scope,
        json.title,
        json.description,
        json.place,
        json.starts_at,
        json.ends_at,
        json.capacity,
        organiser_name=json.organiser,
    )
    return _event(event_id), 201, {"Location": url_for("api.event_detail", event_id=event_id)}


@blueprint.get("/events/<event_id>")
@tenant_required
@spec.validate(resp=Response(HTTP_200=Event), tags=["community"])
def event_detail(event_id: str):
    """An event: what, where, when, who organises, how many come, and my reply."""
    return _event(event_id)


@blueprint.post("/events/<event_id>/reply")
@tenant_required
@spec.validate(resp=Response(HTTP_200=Event), tags=["community"])
def reply_to_event(event_id: str, json: EventReply):
    """Say I come, with how many people in all; sending it again changes the number."""
    # Left out, the number is 0: the domain then says how many may come.
    events.reply(db(), g.profile, event_id, json.people or 0)
    return _event(event_id)


@blueprint.delete("/events/<event_id>/reply")
@tenant_required
@spec.validate(resp=Response(HTTP_200=Event), tags=["community"])
def withdraw_event_reply(event_id: str):
    """Say I no longer come."""
    events.get(db(), events.building_of(g.profile), event_id)
    events.withdraw_reply(db(), g.profile, event_id)
    return _event(event_id)


@blueprint.post("/events/<event_id>/cancel")
@tenant_required
@spec.validate(resp=Response(HTTP_200=Event, HTTP_403=None), tags=["community"])
def cancel_event(event_id: str):
    """Cancel an event I organise; those who said they would come are told."""
    events.cancel(db(), g.profile, events.building_of(g.profile), event_id)
    return _event(event_id)
