"""Copies of the noticeboard arriving over the link, the same at the hub and on a box.

The hub keeps a copy of every box's posts (a replaced box gets them back) and hands the
residence's posts to the residence's other boxes; each side stores what arrives the
same way. Every message names its item by id and says the whole of it, so a copy that
comes again changes nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, delete, select, update

from core.domain import noticeboard
from core.storage.schema import photos, post_comments, post_reactions, posts
from sync import values
from sync.envelope import Refused


def known(connection: Connection, table: Table, item_id: str) -> dict[str, Any]:
    """Return where a post or an event is shown (its scope, residence and building);
    refuse a message about one this side never had."""
    row = connection.execute(
        select(table.c.id, table.c.scope, table.c.residence_id, table.c.building_id).where(
            table.c.id == item_id
        )
    ).first()
    if row is None:
        raise Refused(f"{item_id} is not among the {table.name}")
    return dict(row._mapping)


def post_of(connection: Connection, body: dict[str, Any]) -> dict[str, Any]:
    """Return the post a message is about (its scope, residence and building)."""
    if "post" in body:
        return known(connection, posts, values.text(values.obj(body, "post"), "id", 32))
    if "comment" in body:
        return known(connection, posts, values.text(values.obj(body, "comment"), "post_id", 32))
    return known(connection, posts, values.text(body, "post_id", 32))


def post_published(connection: Connection, body: dict[str, Any]) -> None:
    post = values.obj(body, "post")
    post_id = values.text(post, "id", 32)
    scope = values.text(post, "scope", 20)
    category = values.text(post, "category", 20)
    if scope not in noticeboard.SCOPES or category not in noticeboard.CATEGORIES:
        raise Refused(f"post {post_id}: scope or category unknown")
    photo_id = values.text(post, "photo_id", 32, optional=True)
    if (
        photo_id
        and not connection.execute(select(photos.c.id).where(photos.c.id == photo_id)).first()
    ):
        raise Refused(f"photo {photo_id} has not arrived before its post")
    row = {
        "scope": scope,
        "residence_id": values.text(post, "residence_id", 32),
        "building_id": values.text(post, "building_id", 32),
        "building_name": values.text(post, "building_name", 120),
        "category": category,
        "title": values.text(post, "title", noticeboard.MAX_TITLE),
        "body": values.text(post, "body", noticeboard.MAX_BODY),
        "photo_id": photo_id,
        "author_name": values.text(post, "author_name", 60, optional=True),
        "created_at": values.moment(post, "created_at"),
    }
    if connection.execute(select(posts.c.id).where(posts.c.id == post_id)).first():
        # A post comes again when its author erased their profile and kept it nameless.
        connection.execute(update(posts).where(posts.c.id == post_id).values(**row))
    else:
        connection.execute(posts.insert().values(id=post_id, **row))


def post_commented(connection: Connection, body: dict[str, Any]) -> None:
    comment = values.obj(body, "comment")
    comment_id = values.text(comment, "id", 32)
    post_id = values.text(comment, "post_id", 32)
    known(connection, posts, post_id)
    row = {
        "post_id": post_id,
        "author_name": values.text(comment, "author_name", 60, optional=True),
        "body": values.text(comment, "body", noticeboard.MAX_COMMENT),
        "created_at": values.moment(comment, "created_at"),
    }
    if connection.execute(
        select(post_comments.c.id).where(post_comments.c.id == comment_id)
    ).first():
        connection.execute(
            update(post_comments).where(post_comments.c.id == comment_id).values(**row)
        )
    else:
        connection.execute(post_comments.insert().values(id=comment_id, **row))


def post_thanked(connection: Connection, body: dict[str, Any]) -> None:
    post_id = values.text(body, "post_id", 32)
    known(connection, posts, post_id)
    reactor_id = values.text(body, "reactor_id", 32)
    connection.execute(
        delete(post_reactions).where(
            post_reactions.c.post_id == post_id, post_reactions.c.reactor_id == reactor_id
        )
    )
    if body.get("thanked") is True:
        connection.execute(
            post_reactions.insert().values(
                post_id=post_id, reactor_id=reactor_id, created_at=values.moment(body, "at")
            )
        )


def post_removed(connection: Connection, body: dict[str, Any]) -> None:
    noticeboard.delete_post(connection, values.text(body, "post_id", 32))


def comment_removed(connection: Connection, body: dict[str, Any]) -> None:
    connection.execute(
        delete(post_comments).where(post_comments.c.id == values.text(body, "comment_id", 32))
    )


def post_moderated(connection: Connection, body: dict[str, Any]) -> None:
    kind = values.text(body, "kind", 10)
    table = {"post": posts, "comment": post_comments}.get(kind)
    if table is None:
        raise Refused(f"kind {kind!r} cannot be hidden")
    hidden = body.get("hidden") is True
    connection.execute(
        update(table)
        .where(table.c.id == values.text(body, "id", 32))
        .values(
            hidden_at=values.moment(body, "at") if hidden else None,
            hidden_by=values.text(body, "hidden_by", 20) if hidden else None,
        )
    )


APPLY = {
    "post.published": post_published,
    "post.commented": post_commented,
    "post.thanked": post_thanked,
    "post.removed": post_removed,
    "comment.removed": comment_removed,
    "post.moderated": post_moderated,
}
