"""The noticeboard from the tenant's side: read, post with a photo, answer, thank, take down.

A first post or answer asks for the charter (``webui/api/charter_consent.py``).
"""

from __future__ import annotations

from typing import Annotated, Any

from flask import g, url_for
from pydantic import Field

from core.domain import noticeboard
from webui.api import blueprint
from webui.api.charter_consent import Consenting, accept_charter_if_ticked
from webui.api.fields import (
    Answer,
    Count,
    Filter,
    Filters,
    Id,
    Instant,
    OptionalText,
    PhotoFile,
    Text,
    choice,
)
from webui.api.shared_shapes import BuildingRef, Neighbour, Photo, building_of
from webui.api.spec import Response, spec
from webui.api.uploads import picture
from webui.auth import tenant_required
from webui.database import db
from webui.i18n import translate


class NeighbourMessage(Consenting):
    """An answer or a message to neighbours."""

    body: Text


class BoardFilters(Filters):
    """Which posts, and from where in the board."""

    category: Filter(noticeboard.CATEGORIES) = Field(None, description="Only posts of this kind.")
    before: OptionalText = Field(
        None, description="Start after this place: the `older` of the page before."
    )


class NewPost(Consenting):
    """A post, as a multipart form; scope building or residence is the author's own."""

    category: Text = choice(noticeboard.CATEGORIES)
    scope: Text = choice(noticeboard.SCOPES)
    title: Text = Field(json_schema_extra={"maxLength": noticeboard.MAX_TITLE})
    body: Text = Field(json_schema_extra={"maxLength": noticeboard.MAX_BODY})
    photo: PhotoFile = None


HiddenBy = Annotated[
    Annotated[str, Field(json_schema_extra={"enum": ["flags", "moderator"]})] | None,
    Field(
        description="Hidden by three households' flags or by a caretaker, until a caretaker "
        "decides; only its author sees it then. Null when shown to all."
    ),
]


def _hidden_by(row: dict[str, Any]) -> str | None:
    return row["hidden_by"] if row["hidden_at"] else None


class Post(Answer):
    """A noticeboard post."""

    id: Id
    category: str = Field(json_schema_extra={"enum": list(noticeboard.CATEGORIES)})
    category_label: str
    scope: str = Field(json_schema_extra={"enum": list(noticeboard.SCOPES)})
    scope_label: str
    title: str
    body: str
    photo: Photo | None
    author: Neighbour
    building: BuildingRef = Field(description="The author's building.")
    mine: bool = Field(description="Written by the signed-in tenant.")
    hidden_by: HiddenBy
    comment_count: Count = Field(description="Answers everyone sees.")
    thanks_count: Count
    created_at: Instant

    @staticmethod
    def fields(found: dict[str, Any], me: str) -> dict[str, Any]:
        """The post's fields as the tenant ``me`` sees it in the list."""
        return {
            "id": found["id"],
            "category": found["category"],
            "category_label": translate(noticeboard.CATEGORIES[found["category"]]),
            "scope": found["scope"],
            "scope_label": translate(noticeboard.SCOPES[found["scope"]]),
            "title": found["title"],
            "body": found["body"],
            "photo": Photo.of(found["photo_id"]),
            "author": Neighbour.of(found["author_profile_id"], found["author_name"]),
            "building": building_of(found),
            "mine": found["author_profile_id"] == me,
            "hidden_by": _hidden_by(found),
            "comment_count": found["comment_count"],
            "thanks_count": found["thanks_count"],
            "created_at": found["created_at"],
        }

    @classmethod
    def of(cls, found: dict[str, Any], me: str) -> Post:
        return cls(**cls.fields(found, me))


class PostList(Answer):
    """A page of the posts of the building and the residence, newest first."""

    posts: list[Post]
    older: str | None = Field(
        description="Where the older posts start (the next page's `before`); null when "
        "there are no more."
    )


class Comment(Answer):
    """An answer under a post."""

    id: Id
    author: Neighbour
    body: str
    mine: bool
    hidden_by: HiddenBy
    created_at: Instant

    @classmethod
    def of(cls, found: dict[str, Any], me: str) -> Comment:
        return cls(
            id=found["id"],
            author=Neighbour.of(found["author_profile_id"], found["author_name"]),
            body=found["body"],
            mine=found["author_profile_id"] == me,
            hidden_by=_hidden_by(found),
            created_at=found["created_at"],
        )


class PostDetail(Post):
    """A post with its answers, oldest first."""

    thanked: bool = Field(description="The signed-in tenant said thank you.")
    comments: list[Comment]

    @classmethod
    def of(cls, found: dict[str, Any], me: str) -> PostDetail:
        """The post with its answers and whether ``me`` thanked it."""
        # The author sees their own hidden answers too; the count is of those everyone sees.
        shown = [c for c in found["comments"] if c["hidden_at"] is None]
        return cls(
            **Post.fields({**found, "comment_count": len(shown)}, me),
            thanked=found["thanked"],
            comments=[Comment.of(c, me) for c in found["comments"]],
        )


def _detail(post_id: str) -> PostDetail:
    return PostDetail.of(noticeboard.get(db(), g.profile, post_id), g.profile["id"])


@blueprint.get("/board")
@tenant_required
@spec.validate(resp=Response(HTTP_200=PostList), tags=["community"])
def board(query: BoardFilters):
    """The posts of my building and of my residence, newest first, a page at a time."""
    page = noticeboard.board(db(), g.profile, query.category, query.before or None)
    return PostList(
        posts=[Post.of(found, g.profile["id"]) for found in page.items], older=page.rest
    )


@blueprint.post("/board")
@tenant_required
@spec.validate(resp=Response(HTTP_201=PostDetail, HTTP_403=None), tags=["community"])
def publish_post(form: NewPost):
    """Put a post on the board, with an optional photo, sent as a multipart form."""
    accept_charter_if_ticked(form)
    # A refused post leaves nothing behind: its photo is rolled back with it.
    post_id = noticeboard.publish(
        db(), g.profile, form.category, form.scope, form.title, form.body, picture()
    )
    return _detail(post_id), 201, {"Location": url_for("api.post_detail", post_id=post_id)}


@blueprint.get("/board/<post_id>")
@tenant_required
@spec.validate(resp=Response(HTTP_200=PostDetail), tags=["community"])
def post_detail(post_id: str):
    """A post with its photo, its answers and the thanks it received."""
    return _detail(post_id)


@blueprint.delete("/board/<post_id>")
@tenant_required
@spec.validate(resp=Response(HTTP_204=None), tags=["community"])
def remove_post(post_id: str):
    """Take my own post down, with its answers and thanks."""
    noticeboard.remove(db(), g.profile, post_id)
    return "", 204


@blueprint.post("/board/<post_id>/comments")
@tenant_required
@spec.validate(resp=Response(HTTP_200=PostDetail, HTTP_403=None), tags=["community"])
def comment_post(post_id: str, json: NeighbourMessage):
    """Answer under a post; its author is told."""
    accept_charter_if_ticked(json)
    noticeboard.comment(db(), g.profile, post_id, json.body)
    return _detail(post_id)


@blueprint.post("/board/<post_id>/thanks")
@tenant_required
@spec.validate(resp=Response(HTTP_200=PostDetail), tags=["community"])
def thank_post(post_id: str):
    """Say thank you for a post, or take it back if I had said it."""
    noticeboard.thank(db(), g.profile, post_id)
    return _detail(post_id)
