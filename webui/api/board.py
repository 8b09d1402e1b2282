"""The noticeboard from the tenant's side: read, post with a photo, answer, thank, take down.

A first post, answer, message, offer of help or event asks for the charter: the client
sends ``accept_charter`` with it, as the pages' tick box does, and nothing is asked twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import g, jsonify, request

from appliance.domain import charter, noticeboard
from webui.api import blueprint, created, serialise
from webui.api.body import json_object, picture, query_choice, require_multipart, text, ticked
from webui.auth import tenant_required
from webui.database import db


def accept_charter_if_ticked(body: Mapping[str, Any]) -> None:
    """Record the charter when the request accepts it (a first post, answer or message)."""
    if ticked(body, "accept_charter"):
        charter.accept(db(), g.profile["id"])


def _detail(post_id: str):
    found = noticeboard.get(db(), g.profile, post_id)
    return jsonify(serialise.post_detail(found, g.profile["id"]))


@blueprint.get("/board")
@tenant_required
def board():
    """The posts of my building and of my residence, newest first, a page at a time."""
    category = query_choice("category", noticeboard.CATEGORIES)
    page = noticeboard.board(db(), g.profile, category, request.args.get("before") or None)
    return jsonify(
        posts=[serialise.post(found, g.profile["id"]) for found in page.items],
        older=page.rest,
    )


@blueprint.post("/board")
@tenant_required
def publish_post():
    """Put a post on the board, with an optional photo, sent as a multipart form."""
    require_multipart()
    form = request.form
    accept_charter_if_ticked(form)
    # A refused post leaves nothing behind: its photo is rolled back with it.
    post_id = noticeboard.publish(
        db(),
        g.profile,
        text(form, "category"),
        text(form, "scope"),
        text(form, "title"),
        text(form, "body"),
        picture(),
    )
    return created(_detail(post_id), "api.post_detail", post_id=post_id)


@blueprint.get("/board/<post_id>")
@tenant_required
def post_detail(post_id: str):
    """A post with its photo, its answers and the thanks it received."""
    return _detail(post_id)


@blueprint.delete("/board/<post_id>")
@tenant_required
def remove_post(post_id: str):
    """Take my own post down, with its answers and thanks."""
    noticeboard.remove(db(), g.profile, post_id)
    return "", 204


@blueprint.post("/board/<post_id>/comments")
@tenant_required
def comment_post(post_id: str):
    """Answer under a post; its author is told."""
    body = json_object()
    accept_charter_if_ticked(body)
    noticeboard.comment(db(), g.profile, post_id, text(body, "body"))
    return _detail(post_id)


@blueprint.post("/board/<post_id>/thanks")
@tenant_required
def thank_post(post_id: str):
    """Say thank you for a post, or take it back if I had said it."""
    noticeboard.thank(db(), g.profile, post_id)
    return _detail(post_id)
