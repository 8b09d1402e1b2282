"""The noticeboard between a box and the hub: every post of a box, its answers, thanks,
take-downs and what is hidden go to the hub, which keeps a copy of each building's board
and hands a residence's posts to the residence's other boxes (docs/PROTOCOL.md, "The
noticeboard and the events"). Each message names its item and says the whole of it, so
a copy changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import model_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import Connection, select

from core.domain import side
from core.domain.board_limits import MAX_BODY, MAX_COMMENT, MAX_TITLE
from core.messages.fields import Flag, Id, Moment, Text
from core.messages.outgoing import Body, Part, to_hub
from core.messages.photos import photo_added
from core.storage.schema import post_comments, posts


class Post(Part):
    id: Id
    scope: Text(20)
    residence_id: Id
    building_id: Id
    building_name: Text(120)
    category: Text(20)
    title: Text(MAX_TITLE)
    body: Text(MAX_BODY)
    photo_id: Id | None = None
    # None once its author erased their name.
    author_name: Text(60) | None = None
    created_at: Moment


class PostPublished(Body):
    """A post, its photo first; again when its author erased their name."""

    KIND = "post.published"
    post: Post


class Comment(Part):
    id: Id
    post_id: Id
    author_name: Text(60) | None = None
    body: Text(MAX_COMMENT)
    created_at: Moment


class PostCommented(Body):
    KIND = "post.commented"
    comment: Comment


class PostThanked(Body):
    """A "thank you" for a post (``reactor_id``: a profile's id, of any box), or taken
    back."""

    KIND = "post.thanked"
    post_id: Id
    reactor_id: Id
    thanked: Flag = False
    at: Moment


class PostRemoved(Body):
    KIND = "post.removed"
    post_id: Id


class CommentRemoved(Body):
    KIND = "comment.removed"
    post_id: Id
    comment_id: Id


class PostModerated(Body):
    """A post or an answer (``kind``) hidden — by ``flags`` or a ``moderator`` — or put
    back."""

    KIND = "post.moderated"
    post_id: Id
    kind: Text(10)
    id: Id
    hidden: Flag = False
    hidden_by: Text(20) | None = None
    at: Moment | None = None

    @model_validator(mode="after")
    def _says_who_and_when(self) -> PostModerated:
        if self.hidden and (self.hidden_by is None or self.at is None):
            raise PydanticCustomError("hidden", "hidden_by and at are expected when hidden")
        return self


def post_body(connection: Connection, post_id: str) -> PostPublished:
    """Return the message that says a post as it stands."""
    post = connection.execute(select(posts).where(posts.c.id == post_id)).mappings().one()
    return PostPublished(post=Post(**{name: post[name] for name in Post.model_fields}))


def comment_body(connection: Connection, comment_id: str) -> PostCommented:
    """Return the message that says an answer as it stands."""
    comment = (
        connection.execute(select(post_comments).where(post_comments.c.id == comment_id))
        .mappings()
        .one()
    )
    return PostCommented(comment=Comment(**{name: comment[name] for name in Comment.model_fields}))


def thanks(post_id: str, reactor_id: str, thanked: bool, at: datetime) -> PostThanked:
    """Return the message that says someone thanked for a post, or took it back."""
    return PostThanked(post_id=post_id, reactor_id=reactor_id, thanked=thanked, at=at)


def moderation(
    post_id: str, kind: str, item_id: str, hidden_at: datetime | None, hidden_by: str | None
) -> PostModerated:
    """Return the message that says a post or an answer is hidden (since ``hidden_at``),
    or put back (``hidden_at`` None)."""
    return PostModerated(
        post_id=post_id,
        kind=kind,
        id=item_id,
        hidden=hidden_at is not None,
        hidden_by=hidden_by,
        at=hidden_at,
    )


def post_published(connection: Connection, post_id: str) -> None:
    """Tell the hub about a post (again, when it changed), its photo first."""
    if not side.is_linked_box(connection):
        return
    body = post_body(connection, post_id)
    if body.post.photo_id:
        to_hub(connection, photo_added(connection, body.post.photo_id), post_id)
    to_hub(connection, body, post_id)


def post_commented(connection: Connection, comment_id: str) -> None:
    """Tell the hub about an answer under a post (again, when it changed)."""
    if side.is_linked_box(connection):
        body = comment_body(connection, comment_id)
        to_hub(connection, body, body.comment.post_id)


def post_thanked(
    connection: Connection, post_id: str, reactor_id: str, thanked: bool, at: datetime
) -> None:
    """Tell the hub that someone said thank you for a post, or took it back."""
    if side.is_linked_box(connection):
        to_hub(connection, thanks(post_id, reactor_id, thanked, at), post_id)


def post_removed(connection: Connection, post_id: str) -> None:
    """Tell the hub that a post was taken down."""
    if side.is_linked_box(connection):
        to_hub(connection, PostRemoved(post_id=post_id), post_id)


def comment_removed(connection: Connection, post_id: str, comment_id: str) -> None:
    """Tell the hub that an answer was deleted."""
    if side.is_linked_box(connection):
        to_hub(connection, CommentRemoved(post_id=post_id, comment_id=comment_id), post_id)


def post_moderated(
    connection: Connection,
    post_id: str,
    kind: str,
    item_id: str,
    hidden_at: datetime | None,
    hidden_by: str | None,
) -> None:
    """Tell the hub that a post or an answer was hidden, or put back."""
    if side.is_linked_box(connection):
        to_hub(connection, moderation(post_id, kind, item_id, hidden_at, hidden_by), post_id)
