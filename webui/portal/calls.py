"""Video calls from the tenant's side: calling a neighbour, the ring, answering it.

The caller's page is the call's room at once, waiting for the answer. The person called
hears of it three ways: the home page says so, every portal page with JavaScript asks
every few seconds whether a call rings (webui/static/js/portal.js) and shows a banner,
and the call's page says who calls, with Accept and Decline. Declining tells the
caller's page at once, through the rooms process.
"""

from __future__ import annotations

import contextlib

from flask import current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.domain import calls, video_rooms
from core.domain.errors import N_, DomainError
from webui import room_orders
from webui.auth import tenant_required
from webui.database import db, keep_changes
from webui.forms import refuse
from webui.portal import blueprint, rooms
from webui.portal.board import accept_charter_if_ticked


@blueprint.post("/calls")
@tenant_required
def call_neighbour():
    """Ring a neighbour and wait for them in the call's room."""
    values = {"profile_id": request.form.get("profile_id", "")}
    accept_charter_if_ticked()
    try:
        if not values["profile_id"]:
            raise DomainError("who_missing", N_("Choose whom to call."), "profile_id")
        call = calls.ring(db(), g.profile, values["profile_id"])
    except DomainError as error:
        keep_changes()
        return refuse("portal/rooms.html", error, values, **rooms.listing())
    room = video_rooms.room_for(db(), g.profile, calls.room_of(call["id"]))
    return rooms.inside(room)


@blueprint.get("/calls/ringing")
@tenant_required
def ringing_calls():
    """The calls ringing for me now (for the banner on every page)."""
    answer = jsonify(
        [
            {
                "caller": call["caller_name"],
                "url": url_for("portal.call_page", call_id=call["id"]),
            }
            for call in calls.ringing_for(db(), g.profile["id"])
        ]
    )
    answer.headers["Cache-Control"] = "no-store"
    return answer


@blueprint.get("/calls/<call_id>")
@tenant_required
def call_page(call_id: str):
    """Who calls me, with Accept and Decline."""
    call = calls.get(db(), g.profile, call_id)
    return render_template("portal/call.html", values={}, errors={}, **_call_context(call))


def _call_context(call: dict) -> dict:
    return {
        "call": call,
        "ringing": calls.is_ringing(call),
        "needs_charter": g.profile.get("charter_accepted_at") is None,
    }


@blueprint.post("/calls/<call_id>")
@tenant_required
def answer_call(call_id: str):
    """Accept (into the call's room) or decline (the caller's page is told)."""
    accept = request.form.get("answer") == "accept"
    accept_charter_if_ticked()
    try:
        call = calls.answer(db(), g.profile, call_id, accept)
    except DomainError as error:
        keep_changes()
        call = calls.get(db(), g.profile, call_id)
        return refuse("portal/call.html", error, {}, **_call_context(call))
    room = video_rooms.room_for(db(), g.profile, calls.room_of(call_id))
    if accept:
        return rooms.inside(room)
    # Unreachable rooms: the caller's page stops waiting on its own, after a minute.
    with contextlib.suppress(room_orders.RoomsUnreachable):
        room_orders.give(current_app.config["RESIDACOEUR"], g.profile["id"], room["id"], "decline")
    flash(_("You declined the call. %(name)s is told.", name=call["other_name"]), "success")
    return redirect(url_for("portal.home"))
