"""The noticeboard: neighbours' posts — help, parties, recipes, things to give, lost and
found, information — with a photo, comments and a "thank you".

A post is for the author's building, or for the whole residence. A tenant sees the
posts of their building and those of their residence, newest first; what a moderator
or three households hid is seen only by its author, with a word saying why.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, or_, select

from core.domain import charter, copies, notifications, paging, typed_text
from core.domain.board_limits import MAX_BODY, MAX_COMMENT, MAX_TITLE
from core.domain.clock import new_id, utcnow
from core.domain.errors import N_, DomainError, FieldChecks, NotFound
from core.messages import noticeboard as link_messages
from core.storage.schema import post_comments, post_reactions, posts

CATEGORIES: dict[str, str] = {
    "mutual_help": N_("Mutual help"),
    "parties": N_("Parties and get-togethers"),
    "recipes": N_("Recipes"),
    "giving": N_("Giving and small ads"),
    "lost_found": N_("Lost and found"),
    "information": N_("Information"),
}
SCOPES: dict[str, str] = {
    "building": N_("My building"),
    "residence": N_("The whole residence"),
}
# Posts on one page of the board: a few screens on a phone.
PAGE_SIZE = 30


def publish(
    connection: Connection,
    profile: dict[str, Any],
    category: str,
    scope: str,
    title: str,
    body: str,
    photo_id: str | None = None,
) -> str:
    """Put a post on the board for the author's building or residence; return its id.
    Every field wrong is refused at once."""
    checks = FieldChecks()
    if category not in CATEGORIES:
        checks.refuse(
            DomainError("category_unknown", N_("Choose what your post is about."), "category")
        )
    if scope not in SCOPES:
        checks.refuse(DomainError("scope_unknown", N_("Choose who will see it."), "scope"))
    typed_title = checks.check(
        lambda: typed_text.text(
            title, "title", MAX_TITLE, N_("Give your post a title."), typed_text.TITLE_LONG
        )
    )
    title = " ".join((typed_title or "").split())
    body = checks.check(lambda: typed_text.text(body, "body", MAX_BODY, N_("Write a few words.")))
    checks.check(lambda: charter.may_write(connection, profile))
    checks.done()
    post_id = new_id()
    connection.execute(
        posts.insert().values(
            id=post_id,
            scope=scope,
            residence_id=profile["residence_id"],
            building_id=profile["building_id"],
            building_name=profile["building_name"],
            category=category,
            title=title,
            body=body,
            photo_id=photo_id,
            author_profile_id=profile["id"],
            author_name=profile["display_name"],
            created_at=utcnow(),
        )
    )
    link_messages.post_published(connection, post_id)
    return post_id


def _seen_by(profile: dict[str, Any]):
    """Posts of the person's building and of their residence."""
    return or_(
        and_(posts.c.scope == "building", posts.c.building_id == profile["building_id"]),
        and_(posts.c.scope == "residence", posts.c.residence_id == profile["residence_id"]),
    )


def _shown_to(profile: dict[str, Any]):
    return or_(posts.c.hidden_at.is_(None), posts.c.author_profile_id == profile["id"])


def board(
    connection: Connection,
    profile: dict[str, Any],
    category: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> paging.Page:
    """Return a page of the posts the person sees, newest first, with their counts:
    the newest ones, or those after ``before`` (a page's ``rest``)."""
    comments = (
        select(func.count())
        .where(post_comments.c.post_id == posts.c.id, post_comments.c.hidden_at.is_(None))
        .scalar_subquery()
    )
    thanks = select(func.count()).where(post_reactions.c.post_id == posts.c.id).scalar_subquery()
    query = (
        select(posts, comments.label("comment_count"), thanks.label("thanks_count"))
        .where(_seen_by(profile), _shown_to(profile))
        .order_by(posts.c.created_at.desc(), posts.c.id)
        .limit(size + 1)
    )
    if category is not None:
        query = query.where(posts.c.category == category)
    if before:
        query = query.where(paging.beyond(posts, before, newest_first=True, field="before"))
    return paging.cut([dict(row) for row in connection.execute(query).mappings()], size)


def get(connection: Connection, profile: dict[str, Any], post_id: str) -> dict[str, Any]:
    """Return one post the person may see, with its comments and thanks."""
    row = (
        connection.execute(
            select(posts).where(posts.c.id == post_id, _seen_by(profile), _shown_to(profile))
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("post_not_found", N_("This post does not exist or was taken down."))
    post = dict(row)
    post["comments"] = [
        dict(comment)
        for comment in connection.execute(
            select(post_comments)
            .where(
                post_comments.c.post_id == post_id,
                or_(
                    post_comments.c.hidden_at.is_(None),
                    post_comments.c.author_profile_id == profile["id"],
                ),
            )
            .order_by(post_comments.c.created_at, post_comments.c.id)
        ).mappings()
    ]
    reactors = set(
        connection.execute(
            select(post_reactions.c.reactor_id).where(post_reactions.c.post_id == post_id)
        ).scalars()
    )
    post["thanks_count"] = len(reactors)
    post["thanked"] = profile["id"] in reactors
    post["mine"] = post["author_profile_id"] == profile["id"]
    return post


def shows_photo(connection: Connection, profile: dict[str, Any], photo_id: str) -> bool:
    """Tell whether the photo is that of a post the person may see."""
    return (
        connection.execute(
            select(posts.c.id).where(
                posts.c.photo_id == photo_id, _seen_by(profile), _shown_to(profile)
            )
        ).first()
        is not None
    )


def comment(connection: Connection, profile: dict[str, Any], post_id: str, body: str) -> str:
    """Add a comment under a post; its author is told. Return the comment's id."""
    post = get(connection, profile, post_id)
    body = typed_text.text(body, "body", MAX_COMMENT, N_("Write a few words."))
    charter.may_write(connection, profile)
    comment_id = new_id()
    connection.execute(
        post_comments.insert().values(
            id=comment_id,
            post_id=post_id,
            author_profile_id=profile["id"],
            author_name=profile["display_name"],
            body=body,
            created_at=utcnow(),
        )
    )
    link_messages.post_commented(connection, comment_id)
    author = post["author_profile_id"]
    if author is not None and author != profile["id"]:
        notifications.tell(
            connection,
            [author],
            "post_comment",
            post_id,
            title=post["title"],
            name=profile["display_name"],
        )
    return comment_id


def thank(connection: Connection, profile: dict[str, Any], post_id: str) -> bool:
    """Say "thank you" for a post, or take it back; return whether it now stands."""
    get(connection, profile, post_id)
    gone = connection.execute(
        delete(post_reactions).where(
            post_reactions.c.post_id == post_id, post_reactions.c.reactor_id == profile["id"]
        )
    ).rowcount
    now = utcnow()
    if gone:
        link_messages.post_thanked(connection, post_id, profile["id"], False, now)
        return False
    connection.execute(
        post_reactions.insert().values(post_id=post_id, reactor_id=profile["id"], created_at=now)
    )
    link_messages.post_thanked(connection, post_id, profile["id"], True, now)
    return True


def remove(connection: Connection, profile: dict[str, Any], post_id: str) -> None:
    """Take one's own post down, with its comments and thanks."""
    post = get(connection, profile, post_id)
    if not post["mine"]:
        raise NotFound("post_not_found", N_("This post does not exist or was taken down."))
    delete_post(connection, post_id)
    link_messages.post_removed(connection, post_id)


def delete_post(connection: Connection, post_id: str) -> None:
    """Delete a post and what hangs on it."""
    connection.execute(delete(post_reactions).where(post_reactions.c.post_id == post_id))
    connection.execute(delete(post_comments).where(post_comments.c.post_id == post_id))
    connection.execute(delete(posts).where(posts.c.id == post_id))


def delete_comment(connection: Connection, comment_id: str) -> None:
    """Delete an answer under a post (nothing if it is not here)."""
    connection.execute(delete(post_comments).where(post_comments.c.id == comment_id))


# What the other side of the link sent: the hub keeps a copy of every box's board, and a
# box the residence's posts of the others.


def where_shown(connection: Connection, post_id: str) -> dict[str, Any] | None:
    """Return a post's id, scope, residence and building, or None when it is not here."""
    row = connection.execute(
        select(posts.c.id, posts.c.scope, posts.c.residence_id, posts.c.building_id).where(
            posts.c.id == post_id
        )
    ).first()
    return None if row is None else dict(row._mapping)


def keep_copy(connection: Connection, post_id: str, fields: dict[str, Any]) -> None:
    """Keep a post the other side sent, or replace it (its author erased their name)."""
    copies.keep(connection, posts, post_id, fields)


def keep_comment_copy(connection: Connection, comment_id: str, fields: dict[str, Any]) -> None:
    """Keep an answer the other side sent, or replace it (its author erased their name)."""
    copies.keep(connection, post_comments, comment_id, fields)


def copy_thanks(
    connection: Connection, post_id: str, reactor_id: str, thanked_at: datetime | None
) -> None:
    """Record the other side's "thank you" for a post, said at ``thanked_at``, or taken
    back (None)."""
    connection.execute(
        delete(post_reactions).where(
            post_reactions.c.post_id == post_id, post_reactions.c.reactor_id == reactor_id
        )
    )
    if thanked_at is not None:
        connection.execute(
            post_reactions.insert().values(
                post_id=post_id, reactor_id=reactor_id, created_at=thanked_at
            )
        )
