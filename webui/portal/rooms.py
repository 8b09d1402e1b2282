"""Video rooms from the tenant's side: the rooms I may enter, a room's page, its tickets.

Entering is a form (the "Join" button), so the charter can be ticked on the way in and
the page says plainly what video needs where a browser cannot do it. The room itself is
webui/static/js/room.js speaking to the rooms process; what lets it in is a ticket signed
here, for this person and this room, good for two minutes. The page asks for a new one
when it must come back in (after the rooms process restarted).
"""

from __future__ import annotations

from flask import current_app, g, jsonify, render_template, request, url_for
from flask_babel import gettext as _

from core.domain import calls, room_presence, video_rooms
from core.domain.errors import DomainError
from webui import live_rooms
from webui.auth import tenant_required
from webui.database import db, keep_changes
from webui.forms import refuse
from webui.portal import blueprint
from webui.portal.board import accept_charter_if_ticked
from webui.tv import limits


def _data_dir() -> str:
    return current_app.config["RESIDACOEUR"]["data_dir"]


def present() -> dict[str, list[str]]:
    """Who is in each room of the box now (read once per request)."""
    if "room_presence" not in g:
        g.room_presence = room_presence.present(_data_dir())
    return g.room_presence


def live() -> list[dict]:
    """My rooms where someone is now (read once per request)."""
    if "live_rooms" not in g:
        g.live_rooms = video_rooms.live(db(), g.profile, present())
    return g.live_rooms


def live_now() -> tuple:
    """Who is in my rooms now and which calls ring for me, for the pages that show them
    to know when they change."""
    return (
        tuple((room["id"], tuple(room["people"])) for room in live()),
        tuple(call["id"] for call in ringing()),
    )


def ringing() -> list[dict]:
    """The calls ringing for me now (read once per request)."""
    if "ringing_calls" not in g:
        g.ringing_calls = calls.ringing_for(db(), g.profile["id"])
    return g.ringing_calls


def _room_context(room: dict) -> dict:
    return {
        "room": room,
        "needs_charter": g.profile.get("charter_accepted_at") is None,
        "room_name": room_name(room),
        "live": live_rooms.live_address(),
    }


def room_name(room: dict) -> str:
    """What people call the room."""
    if room["kind"] == video_rooms.CALL:
        return _("Video call with %(name)s", name=room["other_name"])
    if room["kind"] == video_rooms.EVENT:
        return _("Video room of “%(event)s”", event=room["event"]["title"])
    return _("Neighbours' café of %(building)s", building=room["building_name"])


@blueprint.get("/rooms")
@tenant_required
def room_list():
    """The rooms I may enter."""
    return render_template("portal/rooms.html", values={}, errors={}, **listing())


def listing() -> dict:
    """The rooms I may enter, and the neighbours I may call."""
    rooms = video_rooms.rooms_of(db(), g.profile, present())
    return {
        "rooms": [{**room, "name": room_name(room)} for room in rooms],
        "neighbours": calls.callable_neighbours(db(), g.profile),
        "needs_charter": g.profile.get("charter_accepted_at") is None,
    }


@blueprint.get("/rooms/<room_id>")
@tenant_required
def room_page(room_id: str):
    """A room before entering: what it is, the charter if needed, and the Join button."""
    room = video_rooms.room_for(db(), g.profile, room_id, present())
    return render_template("portal/room.html", joined=False, **_room_context(room))


@blueprint.post("/rooms/<room_id>")
@tenant_required
def join_room(room_id: str):
    """Enter the room: the page that holds the call, with its first ticket; "watch" enters
    without asking for the camera and the microphone."""
    room = video_rooms.room_for(db(), g.profile, room_id, present())
    accept_charter_if_ticked()
    try:
        video_rooms.may_enter(db(), g.profile, room_id)
    except DomainError as error:
        keep_changes()
        return refuse("portal/room.html", error, {}, joined=False, **_room_context(room))
    # A TV's session only watches and listens: a TV is seen by the whole room.
    watch = request.form.get("way") == "watch" or g.device == limits.TV
    return inside(room, watch=watch)


def inside(room: dict, watch: bool = False) -> str:
    """The page of a room I am entering now, with its first ticket."""
    return render_template(
        "portal/room.html",
        joined=True,
        ticket=live_rooms.ticket(g.profile, room),
        ticket_url=url_for("portal.room_ticket", room_id=room["id"]),
        leave_url=url_for("portal.room_list"),
        me_name=g.profile["display_name"],
        watch=watch,
        **_room_context(room),
    )


@blueprint.post("/rooms/<room_id>/ticket")
@tenant_required
def room_ticket(room_id: str):
    """A new ticket for the page already in the room, to come back in."""
    room = video_rooms.may_enter(db(), g.profile, room_id)
    answer = jsonify({"ticket": live_rooms.ticket(g.profile, room)})
    answer.headers["Cache-Control"] = "no-store"
    return answer
