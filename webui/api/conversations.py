"""Private messages between residents: the inbox, one conversation, writing, blocking.

Neither side sees the other's flat or phone number: a name, and the contact its owner
chose to show, if any. A person is written to by the id the noticeboard, the skills
exchange and the events give for an author or an organiser.
"""

from __future__ import annotations

from functools import partial

from flask import g, jsonify

from appliance.domain import conversations
from webui.api import blueprint, created, serialise
from webui.api.board import accept_charter_if_ticked
from webui.api.body import json_object, text
from webui.auth import tenant_required
from webui.bookkeeping import note_later
from webui.database import db


def _thread(conversation_id: str):
    shown = conversations.thread(db(), g.profile, conversation_id)
    note_later(
        partial(conversations.mark_read, profile_id=g.profile["id"], conversation_id=shown["id"])
    )
    return jsonify(serialise.thread(shown))


@blueprint.get("/conversations")
@tenant_required
def inbox():
    """My conversations, latest first."""
    found = conversations.inbox(db(), g.profile)
    return jsonify(conversations=[serialise.conversation(c) for c in found])


@blueprint.post("/conversations")
@tenant_required
def write_message():
    """Write to a resident: the first message of our conversation, or the next one."""
    body = json_object()
    accept_charter_if_ticked(body)
    conversation_id = conversations.write(db(), g.profile, text(body, "to"), text(body, "body"))
    return created(_thread(conversation_id), "api.conversation", conversation_id=conversation_id)


@blueprint.get("/conversations/<conversation_id>")
@tenant_required
def conversation(conversation_id: str):
    """One conversation, oldest message first; reading it marks it read, as the page does."""
    return _thread(conversation_id)


@blueprint.post("/conversations/<conversation_id>/messages")
@tenant_required
def reply_message(conversation_id: str):
    """Answer in a conversation I am part of."""
    body = json_object()
    accept_charter_if_ticked(body)
    conversations.reply(db(), g.profile, conversation_id, text(body, "body"))
    return _thread(conversation_id)


@blueprint.post("/people/<profile_id>/block")
@tenant_required
def block_person(profile_id: str):
    """Stop a person from writing to me; they are not told."""
    conversations.block(db(), g.profile, profile_id)
    return "", 204


@blueprint.delete("/people/<profile_id>/block")
@tenant_required
def unblock_person(profile_id: str):
    """Let a person I blocked write to me again."""
    conversations.unblock(db(), g.profile, profile_id)
    return "", 204
