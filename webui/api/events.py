"""The estate's events from the tenant's side: coming events, reply, organise, cancel.

An event's start and end are instants in ISO 8601 (``2025-06-21T18:00:00+02:00``, or
UTC without a zone), not a local day and times as in the page's form: a client knows
its own zone, and an evening that ends after midnight needs no guessing.
"""

from __future__ import annotations

from flask import g, jsonify

from appliance.domain import events
from webui.api import blueprint, created, serialise
from webui.api.board import accept_charter_if_ticked
from webui.api.body import json_object, optional_integer, required_instant, text
from webui.auth import tenant_required
from webui.database import db


def _event(event_id: str):
    found = events.get(db(), events.profile_building(g.profile), event_id, g.profile["id"])
    return jsonify(serialise.event(found, g.profile["id"]))


@blueprint.get("/events")
@tenant_required
def event_list():
    """Events reaching my building that have not ended, soonest first."""
    found = events.upcoming(db(), events.profile_building(g.profile), g.profile["id"])
    return jsonify(events=[serialise.event(e, g.profile["id"]) for e in found])


@blueprint.post("/events")
@tenant_required
def organise_event():
    """Put an event for my building or my residence in the estate's calendar."""
    body = json_object()
    starts_at = required_instant(body, "starts_at")
    ends_at = required_instant(body, "ends_at")
    capacity = optional_integer(body, "capacity")
    accept_charter_if_ticked(body)
    event_id = events.organise(
        db(),
        g.profile,
        events.profile_building(g.profile),
        text(body, "scope"),
        text(body, "title"),
        text(body, "description"),
        text(body, "place"),
        starts_at,
        ends_at,
        capacity,
        organiser_name=text(body, "organiser"),
    )
    return created(_event(event_id), "api.event_detail", event_id=event_id)


@blueprint.get("/events/<event_id>")
@tenant_required
def event_detail(event_id: str):
    """An event: what, where, when, who organises, how many come, and my reply."""
    return _event(event_id)


@blueprint.post("/events/<event_id>/reply")
@tenant_required
def reply_to_event(event_id: str):
    """Say I come, with how many people in all; sending it again changes the number."""
    people = optional_integer(json_object(), "people")
    # Left out, the number is 0: the domain then says how many may come.
    events.reply(db(), g.profile, event_id, people or 0)
    return _event(event_id)


@blueprint.delete("/events/<event_id>/reply")
@tenant_required
def withdraw_event_reply(event_id: str):
    """Say I no longer come."""
    events.get(db(), events.profile_building(g.profile), event_id)
    events.withdraw_reply(db(), g.profile, event_id)
    return _event(event_id)


@blueprint.post("/events/<event_id>/cancel")
@tenant_required
def cancel_event(event_id: str):
    """Cancel an event I organise; those who said they would come are told."""
    events.cancel(db(), g.profile, events.profile_building(g.profile), event_id)
    return _event(event_id)
