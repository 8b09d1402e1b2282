"""Private messages between residents: the list, one conversation, writing, blocking."""

from __future__ import annotations

from functools import partial

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.domain import conversations
from core.domain.errors import DomainError
from webui.auth import tenant_required
from webui.bookkeeping import note_later
from webui.database import db, keep_changes
from webui.forms import refuse, typed
from webui.portal import blueprint
from webui.portal.board import accept_charter_if_ticked


def _needs_charter() -> bool:
    return g.profile.get("charter_accepted_at") is None


@blueprint.get("/messages")
@tenant_required
def inbox():
    """My conversations, latest first."""
    return render_template(
        "portal/messages.html", conversations=conversations.inbox(db(), g.profile)
    )


@blueprint.get("/messages/new")
@tenant_required
def new_message():
    """Write to a resident (from a post, a skill…) without knowing their number or flat."""
    person = conversations.person(db(), request.args.get("to", ""))
    return render_template(
        "portal/message_new.html",
        person=person,
        values={},
        errors={},
        needs_charter=_needs_charter(),
    )


@blueprint.post("/messages")
@tenant_required
def write_message():
    """Send the first message of a conversation, or the next one."""
    values = typed("to", "body")
    person = conversations.person(db(), values["to"])
    try:
        accept_charter_if_ticked()
        conversation_id = conversations.write(db(), g.profile, person["id"], values["body"])
    except DomainError as error:
        keep_changes()
        return refuse(
            "portal/message_new.html",
            error,
            values,
            person=person,
            needs_charter=_needs_charter(),
        )
    flash(_("Your message was sent."), "success")
    return redirect(url_for("portal.conversation", conversation_id=conversation_id, _anchor="end"))


def _conversation_page(conversation_id: str, values: dict, error: DomainError | None = None):
    shown = conversations.thread(db(), g.profile, conversation_id)
    note_later(
        partial(conversations.mark_read, profile_id=g.profile["id"], conversation_id=shown["id"])
    )
    context = {
        "conversation": shown,
        "needs_charter": _needs_charter(),
    }
    if error is None:
        return render_template("portal/conversation.html", values=values, errors={}, **context)
    return refuse("portal/conversation.html", error, values, **context)


@blueprint.get("/messages/<conversation_id>")
@tenant_required
def conversation(conversation_id: str):
    """One conversation; reading it marks it read."""
    return _conversation_page(conversation_id, {})


@blueprint.post("/messages/<conversation_id>")
@tenant_required
def reply_message(conversation_id: str):
    """Answer in a conversation."""
    values = typed("body")
    try:
        accept_charter_if_ticked()
        conversations.reply(db(), g.profile, conversation_id, values["body"])
    except DomainError as error:
        keep_changes()
        return _conversation_page(conversation_id, values, error)
    return redirect(url_for("portal.conversation", conversation_id=conversation_id, _anchor="end"))


@blueprint.post("/people/<profile_id>/block")
@tenant_required
def block_person(profile_id: str):
    """Stop a person from writing to me."""
    conversations.block(db(), g.profile, profile_id)
    flash(_("This person can no longer write to you. They are not told."), "success")
    return redirect(_back())


@blueprint.post("/people/<profile_id>/unblock")
@tenant_required
def unblock_person(profile_id: str):
    """Let a person write to me again."""
    conversations.unblock(db(), g.profile, profile_id)
    flash(_("This person can write to you again."), "success")
    return redirect(_back())


def _back() -> str:
    """Go back to the conversation the person was in, or to the list."""
    conversation_id = request.form.get("back")
    if conversation_id:
        return url_for("portal.conversation", conversation_id=conversation_id)
    return url_for("portal.inbox")
