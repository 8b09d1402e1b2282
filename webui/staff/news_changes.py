"""My news: what my publisher has out now or soon, to change or take down.

A change goes through the same form and preview as new news; taking down asks first.
Only items of the staff member's own publisher can be reached: any other is as if it
did not exist.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from appliance.domain import news, news_listing, roles
from appliance.domain.clock import utcnow
from appliance.domain.errors import N_, DomainError, NotFound
from webui.auth import staff_required
from webui.database import db
from webui.forms import typed
from webui.staff import blueprint
from webui.staff.news import (
    FIELDS,
    SCOPE_NAMES,
    chosen_scope,
    draft_sent,
    expiry,
    kept_photo,
    last_day,
    news_form_page,
    preview,
    publisher_for,
    refuse_draft,
    scope_key,
)


def my_item(news_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return my publisher and one of its items."""
    publisher = publisher_for(g.staff)
    if publisher is None:
        raise NotFound("news_not_found", N_("This news does not exist or has ended."))
    return publisher, news_listing.one_of_publisher(db(), publisher["id"], news_id)


def _edit(values: dict[str, str], item: dict[str, Any]) -> None:
    kind, ref = chosen_scope(values, item)
    news.edit(
        db(),
        item["id"],
        g.staff["id"],
        values["title"],
        values["body"],
        kind,
        ref,
        expires_at=expiry(values["expires_at"]),
        photo_id=values["photo_id"] or None,
    )


@blueprint.get("/news/mine")
@staff_required(roles.PUBLISH_NEWS)
def my_news():
    """The news my publisher has out now or later, newest first."""
    publisher = publisher_for(g.staff)
    items = news_listing.of_publisher(db(), publisher["id"]) if publisher else []
    return render_template(
        "staff/news_mine.html",
        publisher=publisher,
        items=items,
        scope_names=SCOPE_NAMES,
        now=utcnow(),
    )


@blueprint.get("/news/<news_id>/change")
@staff_required(roles.PUBLISH_NEWS)
def change_news_form(news_id: str):
    """The news form, filled with the item as it is now."""
    publisher, item = my_item(news_id)
    values = {
        "title": item["title"],
        "body": item["body"],
        "scope": scope_key(item["scope_kind"], item["scope_ref"]),
        "expires_at": last_day(item["expires_at"]),
        "photo_id": item["photo_id"] or "",
    }
    return news_form_page(values, publisher, item)


@blueprint.post("/news/<news_id>/preview")
@staff_required(roles.PUBLISH_NEWS)
def preview_news_change(news_id: str):
    """Show the changed news as tenants will see it, before the change is published."""
    publisher, item = my_item(news_id)
    return preview(typed(*FIELDS), publisher, lambda draft: _edit(draft, item), item)


@blueprint.post("/news/<news_id>")
@staff_required(roles.PUBLISH_NEWS)
def save_news_change(news_id: str):
    """Publish the previewed change, or go back to the form."""
    publisher, item = my_item(news_id)
    values = typed(*FIELDS)
    values["photo_id"] = kept_photo(values, item["photo_id"]) or ""
    if request.form.get("action") != "publish":
        return news_form_page(values, publisher, item)
    try:
        _edit(values, item)
    except DomainError as error:
        return refuse_draft(error, values, publisher, item)
    draft_sent(values["photo_id"])
    flash(_("The changes are published."), "success")
    return redirect(url_for("staff.my_news"))


@blueprint.get("/news/<news_id>/take-down")
@staff_required(roles.PUBLISH_NEWS)
def confirm_news_take_down(news_id: str):
    """Ask before taking news down."""
    _publisher, item = my_item(news_id)
    return render_template("staff/news_take_down.html", item=item, scope_names=SCOPE_NAMES)


@blueprint.post("/news/<news_id>/take-down")
@staff_required(roles.PUBLISH_NEWS)
def take_down_news(news_id: str):
    """Take news down wherever it is shown."""
    _publisher, item = my_item(news_id)
    news.withdraw(db(), item["id"], g.staff["id"])
    flash(
        _("The news “%(title)s” is taken down: tenants no longer see it.", title=item["title"]),
        "success",
    )
    return redirect(url_for("staff.my_news"))
