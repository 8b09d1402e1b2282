"""The estate's events: what, where, when, who organises, how many may come.

Tenants and staff organise events for their building or the whole residence (the
digital mediator's first-steps sessions are events: see ``first_steps``).
Neighbours say they come, and with how many people; an event with a capacity is full
once that many have said so. When the organiser changes or cancels an event, everyone
who said they would come is told.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, func, or_, select, update

from core.domain import audit, charter, copies, notifications, typed_text
from core.domain.clock import new_id, utcnow
from core.domain.errors import N_, DomainError, FieldChecks, Forbidden, NotFound
from core.messages import events as link_messages
from core.storage.schema import buildings, event_rsvps, events, profiles

SCOPES: dict[str, str] = {
    "building": N_("My building"),
    "residence": N_("The whole residence"),
}
MAX_PEOPLE_PER_REPLY = 10
MAX_CAPACITY = 10_000
LONGEST = timedelta(days=7)


def _checked(
    title: str,
    description: str,
    place: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    capacity: int | None,
    now: datetime,
    checks: FieldChecks | None = None,
) -> dict[str, Any]:
    """Check every field, then refuse all that are wrong at once.

    ``checks`` holds what a form refused before (a day or time it could not read, then
    given here as None), so the person reads every refusal in one go.
    """
    checks = checks or FieldChecks()
    title = checks.check(lambda: typed_text.line(title, "title", 140, N_("Say what the event is.")))
    place = checks.check(
        lambda: typed_text.line(
            place, "place", 140, N_("Say where it takes place."), typed_text.TEXT_LONG
        )
    )
    description = checks.check(lambda: typed_text.text(description, "description", 5000))
    if starts_at is not None and starts_at < now:
        checks.refuse(
            DomainError("starts_past", N_("The event cannot start in the past."), "starts_at")
        )
    elif starts_at is not None and ends_at is not None:
        if ends_at <= starts_at:
            checks.refuse(
                DomainError("ends_before", N_("The end must be after the start."), "ends_at")
            )
        elif ends_at - starts_at > LONGEST:
            checks.refuse(DomainError("too_long", N_("An event lasts a week at most."), "ends_at"))
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        checks.refuse(
            DomainError(
                "capacity_range", N_("Give a number of places from 1 to 10,000."), "capacity"
            )
        )
    checks.done()
    return {
        "title": title,
        "place": place,
        "description": description,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "capacity": capacity,
    }


def organise(
    connection: Connection,
    organiser: dict[str, Any],
    building: dict[str, Any],
    scope: str,
    title: str,
    description: str,
    place: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    capacity: int | None = None,
    organiser_name: str = "",
    checks: FieldChecks | None = None,
    video_room: bool = False,
) -> str:
    """Create an event in a building, or for its residence; return its id.

    ``organiser`` is a tenant's profile (who must have accepted the charter) or a staff
    member; ``organiser_name`` is who organises as people will read it (a committee…);
    ``checks``: what the form refused already, listed with the rest; ``video_room``: held
    also in a video room of this box (core/domain/event_rooms.py).
    """
    checks = checks or FieldChecks()
    if scope not in SCOPES:
        checks.refuse(DomainError("scope_unknown", N_("Choose who will see it."), "scope"))
    organiser_name = checks.check(
        lambda: typed_text.line(organiser_name, "organiser", 120, long=typed_text.TEXT_LONG)
    )
    now = utcnow()
    fields = _checked(title, description, place, starts_at, ends_at, capacity, now, checks)
    is_staff = "role" in organiser
    if not is_staff:
        charter.may_write(connection, organiser)
    event_id = new_id()
    connection.execute(
        events.insert().values(
            id=event_id,
            scope=scope,
            residence_id=building["residence_id"],
            building_id=building["id"],
            organiser=organiser_name or organiser["display_name"],
            organiser_profile_id=None if is_staff else organiser["id"],
            organiser_staff_id=organiser["id"] if is_staff else None,
            created_at=now,
            updated_at=now,
            video_room=video_room,
            **fields,
        )
    )
    if video_room:
        _room_opened(connection, organiser, event_id, fields["title"])
    link_messages.event_published(connection, event_id)
    return event_id


def _room_opened(connection: Connection, actor: dict[str, Any], event_id: str, title: str) -> None:
    """Keep in the audit log who gave an event its video room (a tenant, by their name)."""
    is_staff = "role" in actor
    audit.record(
        connection,
        actor["id"] if is_staff else None,
        "room.open",
        f"event:{event_id}",
        title=title,
        **({} if is_staff else {"tenant": actor["display_name"]}),
    )


def _reaching(building: dict[str, Any]):
    return or_(
        and_(events.c.scope == "building", events.c.building_id == building["id"]),
        and_(events.c.scope == "residence", events.c.residence_id == building["residence_id"]),
    )


def _with_counts(profile_id: str | None):
    coming = (
        select(func.coalesce(func.sum(event_rsvps.c.people), 0))
        .where(event_rsvps.c.event_id == events.c.id)
        .scalar_subquery()
    )
    mine = (
        select(event_rsvps.c.people)
        .where(event_rsvps.c.event_id == events.c.id, event_rsvps.c.profile_id == profile_id)
        .scalar_subquery()
    )
    return select(events, coming.label("coming"), mine.label("my_people"))


def between(
    connection: Connection,
    building: dict[str, Any],
    start: datetime,
    end: datetime,
    profile_id: str | None = None,
) -> list[dict[str, Any]]:
    """Return the events reaching a building that start in [start, end), soonest first."""
    rows = connection.execute(
        _with_counts(profile_id)
        .where(_reaching(building), events.c.starts_at >= start, events.c.starts_at < end)
        .order_by(events.c.starts_at, events.c.title)
    ).mappings()
    return [dict(row) for row in rows]


def upcoming(
    connection: Connection, building: dict[str, Any], profile_id: str | None = None
) -> list[dict[str, Any]]:
    """Return the events reaching a building that have not ended yet, soonest first."""
    rows = connection.execute(
        _with_counts(profile_id)
        .where(_reaching(building), events.c.ends_at > utcnow())
        .order_by(events.c.starts_at, events.c.title)
    ).mappings()
    return [dict(row) for row in rows]


def organised_by_staff(
    connection: Connection, staff_id: str, limit: int | None = None
) -> list[dict[str, Any]]:
    """Return the events a staff member organises that are neither over nor cancelled,
    soonest first, with how many come, the places left and their building's name."""
    rows = connection.execute(
        _with_counts(None)
        .add_columns(buildings.c.name.label("building_name"))
        .outerjoin(buildings, buildings.c.id == events.c.building_id)
        .where(
            events.c.organiser_staff_id == staff_id,
            events.c.ends_at > utcnow(),
            events.c.cancelled_at.is_(None),
        )
        .order_by(events.c.starts_at, events.c.title)
        .limit(limit)
    ).mappings()
    return [_with_places_left(dict(row)) for row in rows]


def _with_places_left(event: dict[str, Any]) -> dict[str, Any]:
    capacity = event["capacity"]
    event["places_left"] = None if capacity is None else max(0, capacity - event["coming"])
    return event


def get(
    connection: Connection,
    building: dict[str, Any],
    event_id: str,
    profile_id: str | None = None,
) -> dict[str, Any]:
    """Return one event reaching the building, with how many are coming."""
    row = (
        connection.execute(
            _with_counts(profile_id).where(events.c.id == event_id, _reaching(building))
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("event_not_found", N_("This event does not exist."))
    return _with_places_left(dict(row))


def reply(connection: Connection, profile: dict[str, Any], event_id: str, people: int) -> None:
    """Say I come, with how many people in all (me included); change it if I had said."""
    event = get(connection, building_of(profile), event_id, profile["id"])
    if event["cancelled_at"] is not None or event["ends_at"] <= utcnow():
        raise DomainError("event_closed", N_("This event is over or cancelled."))
    if not 1 <= people <= MAX_PEOPLE_PER_REPLY:
        raise DomainError(
            "people_range",
            N_("Say how many you will be, from 1 to %(count)d."),
            "people",
            count=MAX_PEOPLE_PER_REPLY,
        )
    if event["capacity"] is not None:
        others = event["coming"] - (event["my_people"] or 0)
        if others + people > event["capacity"]:
            raise DomainError(
                "event_full",
                N_("Not enough places: %(count)d left."),
                "people",
                count=max(0, event["capacity"] - others),
            )
    connection.execute(
        delete(event_rsvps).where(
            event_rsvps.c.event_id == event_id, event_rsvps.c.profile_id == profile["id"]
        )
    )
    now = utcnow()
    connection.execute(
        event_rsvps.insert().values(
            event_id=event_id, profile_id=profile["id"], people=people, created_at=now
        )
    )
    link_messages.event_replied(connection, event_id, profile["id"], people, now)


def withdraw_reply(connection: Connection, profile: dict[str, Any], event_id: str) -> None:
    """Say I no longer come."""
    gone = connection.execute(
        delete(event_rsvps).where(
            event_rsvps.c.event_id == event_id, event_rsvps.c.profile_id == profile["id"]
        )
    ).rowcount
    if gone:
        link_messages.event_replied(connection, event_id, profile["id"], 0, utcnow())


def building_of(holder: dict[str, Any]) -> dict[str, Any]:
    """Return what the events need to know of the building a tenant's profile, or an
    event, belongs to."""
    return {"id": holder["building_id"], "residence_id": holder["residence_id"]}


def _organised_by(event: dict[str, Any], actor: dict[str, Any]) -> bool:
    if "role" in actor:
        return event["building_id"] in actor["building_ids"]
    return event["organiser_profile_id"] == actor["id"]


def tell_attendees(
    connection: Connection, event_id: str, title: str, change: str, but: str | None = None
) -> None:
    """Tell the people of this box who said they would come that an event changed or
    was cancelled (those of other boxes are told by theirs), but not who changed it."""
    attendees = connection.execute(
        select(event_rsvps.c.profile_id).where(
            event_rsvps.c.event_id == event_id,
            event_rsvps.c.profile_id.in_(select(profiles.c.id)),
            event_rsvps.c.profile_id != but,
        )
    ).scalars()
    notifications.tell(connection, attendees, "event_changed", event_id, title=title, change=change)


def change(
    connection: Connection,
    actor: dict[str, Any],
    building: dict[str, Any],
    event_id: str,
    title: str,
    description: str,
    place: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    capacity: int | None = None,
    checks: FieldChecks | None = None,
    video_room: bool = False,
) -> None:
    """Change an event I organise (or of my building, for staff); attendees are told."""
    event = get(connection, building, event_id)
    if not _organised_by(event, actor):
        raise Forbidden("not_organiser", N_("Only its organiser can change this event."))
    fields = _checked(title, description, place, starts_at, ends_at, capacity, utcnow(), checks)
    connection.execute(
        update(events)
        .where(events.c.id == event_id)
        .values(updated_at=utcnow(), video_room=video_room, **fields)
    )
    if video_room and not event["video_room"]:
        _room_opened(connection, actor, event_id, fields["title"])
    link_messages.event_published(connection, event_id)
    tell_attendees(connection, event_id, fields["title"], "changed", but=actor["id"])


def cancel(
    connection: Connection, actor: dict[str, Any], building: dict[str, Any], event_id: str
) -> None:
    """Cancel an event I organise; attendees are told."""
    event = get(connection, building, event_id)
    if not _organised_by(event, actor):
        raise Forbidden("not_organiser", N_("Only its organiser can change this event."))
    connection.execute(
        update(events)
        .where(events.c.id == event_id)
        .values(cancelled_at=utcnow(), updated_at=utcnow())
    )
    link_messages.event_published(connection, event_id)
    tell_attendees(connection, event_id, event["title"], "cancelled", but=actor["id"])


# What the other side of the link sent: the hub keeps a copy of every box's events, and a
# box the residence's events of the others.

# What makes a change worth telling the people who come.
_NOTEWORTHY = ("place", "starts_at", "ends_at", "cancelled_at")


def where_shown(connection: Connection, event_id: str) -> dict[str, Any] | None:
    """Return an event's id, scope, residence and building, or None when it is not here."""
    row = connection.execute(
        select(events.c.id, events.c.scope, events.c.residence_id, events.c.building_id).where(
            events.c.id == event_id
        )
    ).first()
    return None if row is None else dict(row._mapping)


def keep_copy(connection: Connection, event_id: str, fields: dict[str, Any]) -> None:
    """Keep an event the other side sent, or replace it: the people here who said they
    come are told when its place, times or cancellation change."""
    before = connection.execute(select(events).where(events.c.id == event_id)).mappings().first()
    copies.keep(connection, events, event_id, fields)
    if before is not None and any(before[key] != fields[key] for key in _NOTEWORTHY):
        change = "cancelled" if fields["cancelled_at"] is not None else "changed"
        tell_attendees(connection, event_id, fields["title"], change)


def copy_reply(
    connection: Connection, event_id: str, profile_id: str, people: int, at: datetime
) -> None:
    """Record the other side's reply to an event: ``people`` come, or no longer (0)."""
    connection.execute(
        delete(event_rsvps).where(
            event_rsvps.c.event_id == event_id, event_rsvps.c.profile_id == profile_id
        )
    )
    if people:
        connection.execute(
            event_rsvps.insert().values(
                event_id=event_id, profile_id=profile_id, people=people, created_at=at
            )
        )


def feed_token(key: str, building_id: str) -> str:
    """Return the secret part of a building's calendar address, for calendar apps that
    cannot sign in."""
    return hmac.new(key.encode(), building_id.encode(), hashlib.sha256).hexdigest()[:32]
