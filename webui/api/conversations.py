"""Private messages between residents: the inbox, one conversation, writing, blocking.

Neither side sees the other's flat or phone number: a name, and the contact its owner
chose to show, if any. A person is written to by the id the noticeboard, the skills
exchange and the events give for an author or an organiser.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import g, url_for
from pydantic import Field

from core.domain import conversations
from webui.api import blueprint
from webui.api.board import NeighbourMessage
from webui.api.charter_consent import Consenting, accept_charter_if_ticked
from webui.api.fields import Answer, Id, Instant, Text
from webui.api.shared_shapes import Neighbour
from webui.api.spec import Response, spec
from webui.auth import tenant_required
from webui.bookkeeping import note_later
from webui.database import db


class NewConversation(Consenting):
    """A message to a resident, who is known by the id a post, an offer or an event gives."""

    to: Text = Field(description="Opaque identifier.")
    body: Text


class Conversation(Answer):
    """A conversation of the inbox."""

    id: Id
    other: Neighbour
    unread: bool = Field(description="The other person wrote since it was last read.")
    updated_at: Instant

    @classmethod
    def of(cls, found: dict[str, Any]) -> Conversation:
        """With whom, and whether something new is there."""
        return cls(
            id=found["id"],
            other=Neighbour.of(found["other_id"], found["other_name"]),
            unread=found["unread"],
            updated_at=found["updated_at"],
        )


class ConversationList(Answer):
    """Conversations, latest first."""

    conversations: list[Conversation]


class PrivateMessage(Answer):
    """A private message."""

    id: Id
    mine: bool = Field(description="Sent by the signed-in tenant.")
    body: str
    created_at: Instant


class Correspondent(Neighbour):
    """The other person."""

    contact: str | None = Field(description="A contact detail they chose to show, if any.")


class ConversationDetail(Answer):
    """A conversation with its messages, oldest first. Reading it marks it read."""

    id: Id
    other: Correspondent
    blocked: bool = Field(description="The signed-in tenant blocked the other person.")
    can_write: bool = Field(description="Neither blocked the other and they are still here.")
    messages: list[PrivateMessage]

    @classmethod
    def of(cls, found: dict[str, Any]) -> ConversationDetail:
        """The conversation and the other's contact: only what its owner chose to show,
        never their flat."""
        other = found["other"]
        return cls(
            id=found["id"],
            other=Correspondent(
                id=other["id"], display_name=other["display_name"], contact=other["contact"]
            ),
            blocked=found["blocked"],
            can_write=found["can_write"],
            messages=[
                PrivateMessage(
                    id=m["id"], mine=m["mine"], body=m["body"], created_at=m["created_at"]
                )
                for m in found["messages"]
            ],
        )


def _thread(conversation_id: str) -> ConversationDetail:
    shown = conversations.thread(db(), g.profile, conversation_id)
    note_later(
        partial(conversations.mark_read, profile_id=g.profile["id"], conversation_id=shown["id"])
    )
    return ConversationDetail.of(shown)


@blueprint.get("/conversations")
@tenant_required
@spec.validate(resp=Response(HTTP_200=ConversationList), tags=["community"])
def inbox():
    """My conversations, latest first."""
    found = conversations.inbox(db(), g.profile)
    return ConversationList(conversations=[Conversation.of(c) for c in found])


@blueprint.post("/conversations")
@tenant_required
@spec.validate(
    resp=Response(HTTP_201=ConversationDetail, HTTP_403=None, HTTP_404=None), tags=["community"]
)
def write_message(json: NewConversation):
    """Write to a resident: the first message of our conversation, or the next one."""
    accept_charter_if_ticked(json)
    conversation_id = conversations.write(db(), g.profile, json.to, json.body)
    where = url_for("api.conversation", conversation_id=conversation_id)
    return _thread(conversation_id), 201, {"Location": where}


@blueprint.get("/conversations/<conversation_id>")
@tenant_required
@spec.validate(resp=Response(HTTP_200=ConversationDetail), tags=["community"])
def conversation(conversation_id: str):
    """One conversation, oldest message first; reading it marks it read, as the page does."""
    return _thread(conversation_id)


@blueprint.post("/conversations/<conversation_id>/messages")
@tenant_required
@spec.validate(resp=Response(HTTP_200=ConversationDetail, HTTP_403=None), tags=["community"])
def reply_message(conversation_id: str, json: NeighbourMessage):
    """Answer in a conversation I am part of."""
    accept_charter_if_ticked(json)
    conversations.reply(db(), g.profile, conversation_id, json.body)
    return _thread(conversation_id)


@blueprint.post("/people/<profile_id>/block")
@tenant_required
@spec.validate(
    resp=Response(HTTP_204=None, HTTP_422=(None, "The person is the tenant themselves.")),
    tags=["community"],
)
def block_person(profile_id: str):
    """Stop a person from writing to me; they are not told."""
    conversations.block(db(), g.profile, profile_id)
    return "", 204


@blueprint.delete("/people/<profile_id>/block")
@tenant_required
@spec.validate(resp=Response(HTTP_204=None), tags=["community"])
def unblock_person(profile_id: str):
    """Let a person I blocked write to me again."""
    conversations.unblock(db(), g.profile, profile_id)
    return "", 204
