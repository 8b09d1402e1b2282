"""Publishing news: write, see it as tenants will, then publish — for the staff's buildings.

Who publishes and whom it reaches are in ``publishing``. Changing an item already
published (``news_changes``) goes through the same form and preview.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from flask import g, render_template
from flask_babel import gettext as _

from core.domain import news, roles
from core.domain.clock import utcnow
from webui.auth import staff_required
from webui.database import db
from webui.form_dates import local, parse_date, to_utc
from webui.forms import typed
from webui.staff import blueprint
from webui.staff.publishing import (
    chosen_scope,
    draft_form,
    published_or_form,
    refused_draft,
    scope_options,
)

FIELDS = ("title", "body", "scope", "expires_at", "photo_id")


def expiry(typed_date: str) -> datetime | None:
    """Return when news shown until the typed day ends (naive UTC), None for no end."""
    day = parse_date(typed_date, "expires_at")
    if day is None:
        return None
    # The news stays visible until the end of its last day where the building is.
    return to_utc(day, time(23, 59))


def last_day(expires_at: datetime | None) -> str:
    """Return the day news ends where the building is, as the form's date field shows it."""
    if expires_at is None:
        return ""
    return local(expires_at).date().isoformat()


FORM = "staff/news_form.html"


def preview(
    values: dict[str, str],
    publisher: dict[str, Any],
    publish: Callable[[dict[str, str]], Any],
    item: dict[str, Any] | None = None,
):
    """Show the draft as tenants will see it, once publishing it would succeed."""
    refused = refused_draft(FORM, values, publisher, publish, item)
    if refused is not None:
        return refused
    return render_template(
        "staff/news_preview.html",
        values=values,
        publisher=publisher,
        item=item,
        scope_label=scope_options(item)[values["scope"]][2],
        expires_at=expiry(values["expires_at"]),
        now=item["published_at"] if item else utcnow(),
    )


def _publish(values: dict[str, str], publisher: dict[str, Any]) -> str:
    kind, ref = chosen_scope(values)
    return news.publish(
        db(),
        publisher["id"],
        values["title"],
        values["body"],
        kind,
        ref,
        expires_at=expiry(values["expires_at"]),
        photo_id=values["photo_id"] or None,
        author_staff_id=g.staff["id"],
    )


@blueprint.get("/news")
@staff_required(roles.PUBLISH_NEWS)
def news_form():
    """The form to write a news item."""
    options = list(scope_options())
    values = {"scope": options[0] if len(options) == 1 else ""}
    return draft_form(FORM, values, news.publisher_for(db(), g.staff))


@blueprint.post("/news/preview")
@staff_required(roles.PUBLISH_NEWS)
def preview_news():
    """Show the news as tenants will see it, before it is published."""
    publisher = news.publisher_for(db(), g.staff)
    values = typed(*FIELDS)
    if publisher is None:
        return draft_form(FORM, values, publisher), 422
    return preview(values, publisher, lambda draft: _publish(draft, publisher))


@blueprint.post("/news")
@staff_required(roles.PUBLISH_NEWS)
def publish_news():
    """Publish the previewed news, or go back to the form to change it."""
    publisher = news.publisher_for(db(), g.staff)
    return published_or_form(
        FORM,
        typed(*FIELDS),
        publisher,
        lambda draft: _publish(draft, publisher),
        _("The news is published."),
        "staff.my_news",
    )
