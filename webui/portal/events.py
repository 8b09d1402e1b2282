"""The estate's events from the tenant's side: list and month, reply, organise, calendars.

Each event has an iCalendar file; each building has a calendar address that phones can
subscribe to without signing in, made unguessable by the box's calendar key.
"""

from __future__ import annotations

import calendar
import hmac
from datetime import date, datetime, timedelta
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from core.domain import calendar_file, estate, event_rooms, events
from core.domain.clock import utcnow
from core.domain.errors import DomainError, FieldChecks
from core.secrets import ensure_secrets
from webui import event_form, room_orders
from webui.auth import tenant_required
from webui.database import db, keep_changes
from webui.form_dates import local, to_utc
from webui.forms import refuse, typed
from webui.portal import blueprint
from webui.portal.board import SCOPE_ICONS, accept_charter_if_ticked

FIELDS = ("scope", *event_form.FIELDS)


def _building() -> dict[str, Any]:
    return events.building_of(g.profile)


def _calendar_key() -> str:
    return ensure_secrets(current_app.config["RESIDACOEUR"]["data_dir"])["calendar_key"]


def feed_url() -> str:
    """Return the address of my building's calendar, to subscribe a phone to it."""
    building_id = g.profile["building_id"]
    return url_for(
        "portal.building_calendar",
        building_id=building_id,
        token=events.feed_token(_calendar_key(), building_id),
        _external=True,
    )


def _form_context() -> dict:
    return {
        "event_scopes": events.SCOPES,
        "event_scope_icons": SCOPE_ICONS,
        "needs_charter": g.profile.get("charter_accepted_at") is None,
    }


def _month(value: str | None) -> date:
    today = local(utcnow()).date()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


@blueprint.get("/events")
@tenant_required
def event_list():
    """Coming events as a list, or a month as a calendar (``?view=month&month=2026-12``)."""
    if request.args.get("view") != "month":
        return render_template(
            "portal/events.html",
            items=events.upcoming(db(), _building(), g.profile["id"]),
            feed_url=feed_url(),
        )
    first = _month(request.args.get("month"))
    days_in_month = calendar.monthrange(first.year, first.month)[1]
    start = to_utc(first, datetime.min.time())
    end = to_utc(first + timedelta(days=days_in_month), datetime.min.time())
    by_day: dict[int, list[dict]] = {}
    for event in events.between(db(), _building(), start, end, g.profile["id"]):
        by_day.setdefault(local(event["starts_at"]).day, []).append(event)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = first + timedelta(days=days_in_month)
    return render_template(
        "portal/events_month.html",
        first=first,
        weeks=calendar.Calendar(firstweekday=0).monthdayscalendar(first.year, first.month),
        # A week from a Monday, to name the columns in the page's language.
        weekdays=[date(2024, 1, 1) + timedelta(days=n) for n in range(7)],
        by_day=by_day,
        previous=previous.strftime("%Y-%m"),
        following=following.strftime("%Y-%m"),
        feed_url=feed_url(),
    )


@blueprint.get("/events/new")
@tenant_required
def new_event():
    """The form to organise an event."""
    values = {"scope": "building", "organiser": g.profile["display_name"]}
    return render_template("portal/event_new.html", values=values, errors={}, **_form_context())


@blueprint.post("/events")
@tenant_required
def organise_event():
    """Put the event in the estate's calendar; if something is wrong, show the form again."""
    values = typed(*FIELDS)
    checks = FieldChecks()
    try:
        accept_charter_if_ticked()
        event_id = events.organise(
            db(),
            g.profile,
            _building(),
            values["scope"],
            organiser_name=values["organiser"],
            checks=checks,
            **event_form.read(values, checks),
        )
    except DomainError as error:
        keep_changes()
        return refuse(
            "portal/event_new.html", event_form.on_form(error, FIELDS), values, **_form_context()
        )
    flash(_("Your event is in the calendar."), "success")
    return redirect(url_for("portal.event_detail", event_id=event_id))


def _event_page(event_id: str, values: dict | None = None, error: DomainError | None = None):
    event = events.get(db(), _building(), event_id, g.profile["id"])
    context = {
        "event": event,
        "most_people": events.MAX_PEOPLE_PER_REPLY,
        "room_state": event_rooms.state(db(), event, utcnow()),
        "room_id": event_rooms.room_id(event_id),
        "opens_at": event_rooms.opens_at(event),
    }
    if error is None:
        return render_template("portal/event.html", values=values or {}, errors={}, **context)
    return refuse("portal/event.html", error, values or {}, **context)


@blueprint.get("/events/<event_id>")
@tenant_required
def event_detail(event_id: str):
    """An event: what, where, when, who organises, how many come; my reply."""
    return _event_page(event_id)


@blueprint.post("/events/<event_id>/reply")
@tenant_required
def reply_to_event(event_id: str):
    """Say I come, with how many people; or that I no longer come."""
    values = typed("people", "action")
    if values["action"] == "withdraw":
        events.withdraw_reply(db(), g.profile, event_id)
        flash(_("Your reply is withdrawn."), "success")
        return redirect(url_for("portal.event_detail", event_id=event_id))
    try:
        people = int(values["people"]) if values["people"].isdigit() else 0
        events.reply(db(), g.profile, event_id, people)
    except DomainError as error:
        return _event_page(event_id, values, error)
    flash(_("Thank you: the organiser knows you are coming."), "success")
    return redirect(url_for("portal.event_detail", event_id=event_id))


@blueprint.get("/events/<event_id>/change")
@tenant_required
def change_event_form(event_id: str):
    """The event's form, filled with it as it is now (for its organiser)."""
    event = events.get(db(), _building(), event_id)
    return render_template(
        "portal/event_new.html",
        values=event_form.values_of(event),
        errors={},
        item=event,
        **_form_context(),
    )


@blueprint.post("/events/<event_id>/change")
@tenant_required
def change_event(event_id: str):
    """Change an event I organise; those who said they would come are told."""
    event = events.get(db(), _building(), event_id)
    values = typed(*FIELDS)
    checks = FieldChecks()
    try:
        fields = event_form.read(values, checks)
        events.change(db(), g.profile, _building(), event_id, checks=checks, **fields)
    except DomainError as error:
        error = event_form.on_form(error, FIELDS)
        return refuse("portal/event_new.html", error, values, item=event, **_form_context())
    if event["video_room"] and not fields["video_room"]:
        room_orders.end_event_room(current_app.config["RESIDACOEUR"], g.profile["id"], event_id)
    flash(_("The event is changed. Those who were coming are told."), "success")
    return redirect(url_for("portal.event_detail", event_id=event_id))


@blueprint.get("/events/<event_id>/cancel")
@tenant_required
def confirm_event_cancellation(event_id: str):
    """Ask before cancelling an event."""
    return render_template(
        "portal/event_cancel.html", event=events.get(db(), _building(), event_id)
    )


@blueprint.post("/events/<event_id>/cancel")
@tenant_required
def cancel_event(event_id: str):
    """Cancel an event I organise; those who said they would come are told."""
    event = events.get(db(), _building(), event_id)
    events.cancel(db(), g.profile, _building(), event_id)
    if event["video_room"]:
        room_orders.end_event_room(current_app.config["RESIDACOEUR"], g.profile["id"], event_id)
    flash(_("The event is cancelled. Those who were coming are told."), "success")
    return redirect(url_for("portal.event_detail", event_id=event_id))


def _ics(text: str, name: str) -> Response:
    response = Response(text, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@blueprint.get("/events/<event_id>.ics")
@tenant_required
def event_file(event_id: str):
    """The event as a file to add to a phone's or computer's calendar."""
    event = events.get(db(), _building(), event_id)
    return _ics(calendar_file.calendar([event], event["title"], utcnow()), "evenement")


@blueprint.get("/calendars/<building_id>/<token>.ics")
def building_calendar(building_id: str, token: str):
    """A building's events for calendar apps, which cannot sign in: the address is the key."""
    if not hmac.compare_digest(token, events.feed_token(_calendar_key(), building_id)):
        abort(404)
    building = estate.get_building(db(), building_id)
    items = events.upcoming(db(), building)
    return _ics(calendar_file.calendar(items, building["name"], utcnow()), "calendrier")
