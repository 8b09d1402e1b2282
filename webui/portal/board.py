"""The noticeboard from the tenant's side: read, post, comment, thank, take down.

A first post or comment asks for the charter in the same form: the draft stays as it was
typed while the person reads it and ticks the box.
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.domain import charter, noticeboard
from core.domain.errors import DomainError
from webui import draft_photos
from webui.auth import tenant_required
from webui.database import db, keep_changes
from webui.forms import refuse, typed
from webui.portal import blueprint

FIELDS = ("category", "scope", "title", "body")
CATEGORY_ICONS = {
    "mutual_help": "hand",
    "parties": "party",
    "recipes": "recipe",
    "giving": "gift",
    "lost_found": "search",
    "information": "info",
}
SCOPE_ICONS = {"building": "building", "residence": "home"}


def _form_context() -> dict:
    return {
        "post_categories": noticeboard.CATEGORIES,
        "post_category_icons": CATEGORY_ICONS,
        "post_scopes": noticeboard.SCOPES,
        "post_scope_icons": SCOPE_ICONS,
        "needs_charter": g.profile.get("charter_accepted_at") is None,
    }


def accept_charter_if_ticked() -> None:
    """Record the charter when the form's box was ticked (a first post or message)."""
    if request.form.get("charter") == "accepted":
        charter.accept(db(), g.profile["id"])


@blueprint.get("/board")
@tenant_required
def board():
    """The posts of my building and of my residence, newest first, a page at a time."""
    category = request.args.get("category") or None
    if category is not None and category not in noticeboard.CATEGORIES:
        category = None
    before = request.args.get("before") or None
    return render_template(
        "portal/board.html",
        page=noticeboard.board(db(), g.profile, category, before),
        first_page=before is None,
        chosen=category,
        **_form_context(),
    )


@blueprint.get("/board/new")
@tenant_required
def new_post():
    """The form to write a post."""
    values = {"category": request.args.get("category", ""), "scope": "building"}
    return render_template("portal/post_new.html", values=values, kept=[], **_form_context())


@blueprint.post("/board")
@tenant_required
def publish_post():
    """Put the post on the board; if something is wrong, show the form again as typed."""
    values = typed(*FIELDS)
    kept = draft_photos.kept(1)
    try:
        photo_ids = draft_photos.received(kept, 1)
    except DomainError as error:
        return refuse("portal/post_new.html", error, values, kept=kept, **_form_context())
    try:
        accept_charter_if_ticked()
        post_id = noticeboard.publish(
            db(),
            g.profile,
            values["category"],
            values["scope"],
            values["title"],
            values["body"],
            photo_ids[0] if photo_ids else None,
        )
    except DomainError as error:
        # The photo and the ticked charter are kept: nothing is asked twice.
        keep_changes()
        return refuse("portal/post_new.html", error, values, kept=photo_ids, **_form_context())
    draft_photos.sent(photo_ids)
    flash(_("Your post is on the board."), "success")
    return redirect(url_for("portal.post_detail", post_id=post_id))


def _post_page(post_id: str, values: dict | None = None, errors: dict | None = None):
    return render_template(
        "portal/post.html",
        post=noticeboard.get(db(), g.profile, post_id),
        values=values or {},
        errors=errors or {},
        **_form_context(),
    )


@blueprint.get("/board/<post_id>")
@tenant_required
def post_detail(post_id: str):
    """A post with its photo, its comments and the thanks it received."""
    return _post_page(post_id)


@blueprint.post("/board/<post_id>/comments")
@tenant_required
def comment_post(post_id: str):
    """Answer under a post."""
    values = typed("body")
    try:
        accept_charter_if_ticked()
        noticeboard.comment(db(), g.profile, post_id, values["body"])
    except DomainError as error:
        keep_changes()
        return refuse(
            "portal/post.html",
            error,
            values,
            post=noticeboard.get(db(), g.profile, post_id),
            **_form_context(),
        )
    flash(_("Your answer is posted."), "success")
    return redirect(url_for("portal.post_detail", post_id=post_id, _anchor="comments"))


@blueprint.post("/board/<post_id>/thanks")
@tenant_required
def thank_post(post_id: str):
    """Say thank you for a post, or take it back."""
    noticeboard.thank(db(), g.profile, post_id)
    return redirect(url_for("portal.post_detail", post_id=post_id))


@blueprint.get("/board/<post_id>/remove")
@tenant_required
def confirm_post_removal(post_id: str):
    """Ask before taking my post down."""
    post = noticeboard.get(db(), g.profile, post_id)
    if not post["mine"]:
        return redirect(url_for("portal.post_detail", post_id=post_id))
    return render_template("portal/post_remove.html", post=post)


@blueprint.post("/board/<post_id>/remove")
@tenant_required
def remove_post(post_id: str):
    """Take my own post down."""
    noticeboard.remove(db(), g.profile, post_id)
    flash(_("Your post is taken down."), "success")
    return redirect(url_for("portal.board"))
