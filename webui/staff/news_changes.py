"""My news: what my publisher has out now or soon, to change or take down.

A change goes through the same form and preview as new news; taking down asks first.
Only items of the staff member's own publisher that reach one of their buildings can be
reached: any other is as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from core.domain import news, news_listing, roles, staff_buildings
from core.domain.clock import utcnow
from webui.auth import staff_required
from webui.database import db
from webui.forms import typed
from webui.staff import blueprint
from webui.staff.news import FIELDS, FORM, expiry, last_day, preview
from webui.staff.publishing import (
    SCOPE_NAMES,
    chosen_scope,
    draft_form,
    published_or_form,
    scope_key,
)


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
    publisher = news.publisher_for(db(), g.staff)
    items = (
        news_listing.of_publisher(db(), publisher["id"], staff_buildings.buildings(db(), g.staff))
        if publisher
        else []
    )
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
    publisher, item = staff_buildings.news_item(db(), g.staff, news_id)
    values = {
        "title": item["title"],
        "body": item["body"],
        "scope": scope_key(item["scope_kind"], item["scope_ref"]),
        "expires_at": last_day(item["expires_at"]),
        "photo_id": item["photo_id"] or "",
    }
    return draft_form(FORM, values, publisher, item)


@blueprint.post("/news/<news_id>/preview")
@staff_required(roles.PUBLISH_NEWS)
def preview_news_change(news_id: str):
    """Show the changed news as tenants will see it, before the change is published."""
    publisher, item = staff_buildings.news_item(db(), g.staff, news_id)
    return preview(typed(*FIELDS), publisher, lambda draft: _edit(draft, item), item)


@blueprint.post("/news/<news_id>")
@staff_required(roles.PUBLISH_NEWS)
def save_news_change(news_id: str):
    """Publish the previewed change, or go back to the form."""
    publisher, item = staff_buildings.news_item(db(), g.staff, news_id)
    return published_or_form(
        FORM,
        typed(*FIELDS),
        publisher,
        lambda draft: _edit(draft, item),
        _("The changes are published."),
        "staff.my_news",
        item,
    )


@blueprint.get("/news/<news_id>/take-down")
@staff_required(roles.PUBLISH_NEWS)
def confirm_news_take_down(news_id: str):
    """Ask before taking news down."""
    _publisher, item = staff_buildings.news_item(db(), g.staff, news_id)
    return render_template("staff/news_take_down.html", item=item, scope_names=SCOPE_NAMES)


@blueprint.post("/news/<news_id>/take-down")
@staff_required(roles.PUBLISH_NEWS)
def take_down_news(news_id: str):
    """Take news down wherever it is shown."""
    _publisher, item = staff_buildings.news_item(db(), g.staff, news_id)
    news.withdraw(db(), item["id"], g.staff["id"])
    flash(
        _("The news “%(title)s” is taken down: tenants no longer see it.", title=item["title"]),
        "success",
    )
    return redirect(url_for("staff.my_news"))
