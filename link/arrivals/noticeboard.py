"""The noticeboard arriving over the link, stored the same way on both sides.

The hub keeps a copy of every box's posts (a replaced box gets them back) and hands a
residence's posts, and what happens to them, to the residence's other boxes; a box
stores what the hub hands it. Every message names its item and says the whole of it,
so a copy that comes again changes nothing. At the hub, a box speaks only of posts it
shows and never changes what another box sent (``hub_checks``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from core.domain import moderation, noticeboard, photos
from core.messages import residence
from core.messages.noticeboard import (
    CommentRemoved,
    PostCommented,
    PostModerated,
    PostPublished,
    PostRemoved,
    PostThanked,
)
from core.messages.outgoing import Body
from link.arrivals import hub_checks
from link.envelope import Refused


def _post(connection: Connection, post_id: str) -> dict[str, Any]:
    """Return where a post is shown; refuse a message about one this side never had."""
    where = noticeboard.where_shown(connection, post_id)
    if where is None:
        raise Refused(f"{post_id} is not among the posts")
    return where


# Both sides


def post_published(connection: Connection, body: PostPublished) -> None:
    post = body.post
    if post.scope not in noticeboard.SCOPES or post.category not in noticeboard.CATEGORIES:
        raise Refused(f"post {post.id}: scope or category unknown")
    if post.photo_id and not photos.has(connection, post.photo_id):
        raise Refused(f"photo {post.photo_id} has not arrived before its post")
    # A post comes again when its author erased their profile and kept it nameless.
    noticeboard.keep_copy(connection, post.id, post.model_dump(exclude={"id"}))


def post_commented(connection: Connection, body: PostCommented) -> None:
    comment = body.comment
    _post(connection, comment.post_id)
    noticeboard.keep_comment_copy(connection, comment.id, comment.model_dump(exclude={"id"}))


def post_thanked(connection: Connection, body: PostThanked) -> None:
    _post(connection, body.post_id)
    at = body.at if body.thanked else None
    noticeboard.copy_thanks(connection, body.post_id, body.reactor_id, at)


def post_removed(connection: Connection, body: PostRemoved) -> None:
    noticeboard.delete_post(connection, body.post_id)


def comment_removed(connection: Connection, body: CommentRemoved) -> None:
    noticeboard.delete_comment(connection, body.comment_id)


def post_moderated(connection: Connection, body: PostModerated) -> None:
    if body.kind not in moderation.HIDEABLE:
        raise Refused(f"kind {body.kind!r} cannot be hidden")
    hidden_at, hidden_by = (body.at, body.hidden_by) if body.hidden else (None, None)
    moderation.copy_hiding(connection, body.kind, body.id, hidden_at, hidden_by)


# At the hub: checked, kept, and handed to the residence's other boxes


def _relay(
    connection: Connection,
    box_id: str,
    post: dict[str, Any],
    body: Body,
    photo_id: str | None = None,
) -> None:
    if post["scope"] == "residence":
        residence.relay(connection, box_id, post["residence_id"], body, post["id"], photo_id)


def _shown_by_box(connection: Connection, box_id: str, post_id: str) -> dict[str, Any]:
    post = _post(connection, post_id)
    hub_checks.reaches_box(connection, box_id, post)
    return post


def post_published_at_hub(connection: Connection, box_id: str, body: PostPublished) -> None:
    post = body.post
    before = noticeboard.where_shown(connection, post.id)
    hub_checks.own_publication(connection, box_id, post.building_id, post.residence_id, before)
    post_published(connection, body)
    _relay(connection, box_id, _post(connection, post.id), body, post.photo_id)


def post_commented_at_hub(connection: Connection, box_id: str, body: PostCommented) -> None:
    post = _shown_by_box(connection, box_id, body.comment.post_id)
    hub_checks.first_said_by(connection, box_id, f"comment:{body.comment.id}")
    post_commented(connection, body)
    _relay(connection, box_id, post, body)


def post_thanked_at_hub(connection: Connection, box_id: str, body: PostThanked) -> None:
    post = _shown_by_box(connection, box_id, body.post_id)
    hub_checks.first_said_by(connection, box_id, f"thanks:{body.post_id}:{body.reactor_id}")
    post_thanked(connection, body)
    _relay(connection, box_id, post, body)


def post_removed_at_hub(connection: Connection, box_id: str, body: PostRemoved) -> None:
    post = _post(connection, body.post_id)
    # Only the post's own box takes it down.
    hub_checks.building_served(connection, box_id, post["building_id"])
    post_removed(connection, body)
    _relay(connection, box_id, post, body)


def comment_removed_at_hub(connection: Connection, box_id: str, body: CommentRemoved) -> None:
    post = _shown_by_box(connection, box_id, body.post_id)
    comment_removed(connection, body)
    _relay(connection, box_id, post, body)


def post_moderated_at_hub(connection: Connection, box_id: str, body: PostModerated) -> None:
    post = _shown_by_box(connection, box_id, body.post_id)
    post_moderated(connection, body)
    _relay(connection, box_id, post, body)


AT_HUB: dict[type, Callable[..., Any]] = {
    PostPublished: post_published_at_hub,
    PostCommented: post_commented_at_hub,
    PostThanked: post_thanked_at_hub,
    PostRemoved: post_removed_at_hub,
    CommentRemoved: comment_removed_at_hub,
    PostModerated: post_moderated_at_hub,
}
AT_BOX: dict[type, Callable[..., Any]] = {
    PostPublished: post_published,
    PostCommented: post_commented,
    PostThanked: post_thanked,
    PostRemoved: post_removed,
    CommentRemoved: comment_removed,
    PostModerated: post_moderated,
}
