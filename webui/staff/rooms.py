"""The video rooms of my buildings, for caretakers and mediators: who is there, and the
two things they may do — take someone out of a room, or close it for half an hour; and
the rooms of their events, which they enter to hold the workshop or the meeting.

Nothing said or shown is seen here, ever. The audit log keeps who took whom out and who
closed which room; a person who must stay out longer is suspended through the flags'
decisions, which keeps them out of every room (core/domain/video_rooms.py).
"""

from __future__ import annotations

from flask import current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.domain import audit, event_rooms, roles, room_presence, room_tickets, video_rooms
from core.domain.clock import utcnow
from core.domain.errors import N_, DomainError, NotFound
from webui import live_rooms, room_orders
from webui.auth import staff_required
from webui.database import db, keep_changes
from webui.forms import said
from webui.staff import blueprint


def _config() -> dict:
    return current_app.config["RESIDACOEUR"]


def _my_rooms() -> list[dict]:
    present = room_presence.present(_config()["data_dir"])
    return video_rooms.rooms_of_buildings(db(), g.staff["building_ids"], present)


def _my_room(room_id: str) -> dict:
    for room in _my_rooms():
        if room["id"] == room_id:
            return room
    raise NotFound("room_unknown", N_("This room does not exist."))


@blueprint.get("/rooms")
@staff_required(roles.MODERATE_ROOMS)
def rooms_page():
    """Each room of my buildings with the people in it now."""
    return render_template("staff/rooms.html", rooms=_my_rooms())


@blueprint.post("/rooms/<room_id>")
@staff_required(roles.MODERATE_ROOMS)
def order_room(room_id: str):
    """Take one person out of the room, or close it; the audit log keeps it."""
    room = _my_room(room_id)
    action = request.form.get("action", "")
    profile_id = request.form.get("profile_id", "")
    if action not in room_tickets.ORDERS or (action == "remove" and not profile_id):
        flash(_("Choose what to do."), "error")
        return redirect(url_for("staff.rooms_page"))
    try:
        out = room_orders.give(_config(), g.staff["id"], room_id, action, profile_id)
    except room_orders.RoomsUnreachable:
        flash(_("The video rooms do not answer now. Try again in a minute."), "error")
        return redirect(url_for("staff.rooms_page"))
    names = {person["profile_id"]: person["name"] for person in room["present"]}
    audit.record(
        db(),
        g.staff["id"],
        f"room.{action}",
        f"building:{room['building_id']}",
        person=names.get(profile_id, "") if action == "remove" else "",
        out=out,
    )
    keep_changes()
    if action == "close":
        flash(_("Done. Everyone left the room, and nobody can enter for half an hour."), "success")
    else:
        flash(_("Done. This person left the room."), "success")
    return redirect(url_for("staff.rooms_page"))


def _event_room_open(room_id: str) -> dict:
    """One of my buildings' event rooms, open now; NotFound or why it is shut otherwise."""
    room = video_rooms.event_room_of_buildings(db(), g.staff["building_ids"], room_id)
    event_rooms.may_enter(db(), room["event"], utcnow())
    return room


def _ticket(room: dict) -> str:
    # Told apart from the tenants' profiles in the room: "staff-" and the member's id.
    me = {"id": f"staff-{g.staff['id']}", "display_name": g.staff["display_name"]}
    return live_rooms.ticket(me, room)


@blueprint.post("/rooms/<room_id>/join")
@staff_required(roles.MODERATE_ROOMS)
def join_event_room(room_id: str):
    """Enter the room of an event of my buildings, to hold it with those at home."""
    try:
        room = _event_room_open(room_id)
    except DomainError as error:
        flash(said(error), "error")
        return redirect(url_for("staff.rooms_page"))
    return render_template(
        "staff/room.html",
        room=room,
        ticket=_ticket(room),
        ticket_url=url_for("staff.event_room_ticket", room_id=room_id),
        leave_url=url_for("staff.rooms_page"),
        me_name=g.staff["display_name"],
        watch=request.form.get("way") == "watch",
        live=live_rooms.live_address(),
    )


@blueprint.post("/rooms/<room_id>/ticket")
@staff_required(roles.MODERATE_ROOMS)
def event_room_ticket(room_id: str):
    """A new ticket for the page already in the room, to come back in."""
    answer = jsonify({"ticket": _ticket(_event_room_open(room_id))})
    answer.headers["Cache-Control"] = "no-store"
    return answer
