"""Publishing news: write, see it as tenants will, then publish — for the staff's buildings.

A staff member publishes under their own publisher; a landlord agent without one
publishes as the landlord when the box knows exactly one landlord publisher. Changing
an item already published (``news_changes``) goes through the same form and preview.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from appliance.domain import news, photos, roles
from appliance.domain.clock import utcnow
from appliance.domain.errors import N_, DomainError
from webui.auth import staff_required
from webui.database import db, keep_changes
from webui.forms import refuse, typed
from webui.i18n import translate
from webui.staff import blueprint
from webui.staff.dates import parse_date
from webui.staff.reach import my_buildings

FIELDS = ("title", "body", "scope", "expires_at", "photo_id")
SCOPE_NAMES = {
    "building": N_("%(name)s (building)"),
    "residence": N_("%(name)s (residence)"),
    "district": N_("%(name)s (district)"),
    "city": N_("%(name)s (whole city)"),
}
# What each scope points at in a building's row, and the name people know it by.
_SCOPE_KEYS = {
    "building": ("id", "name"),
    "residence": ("residence_id", "residence_name"),
    "district": ("district", "district"),
    "city": ("city", "city"),
}


def publisher_for(member: dict[str, Any]) -> dict[str, Any] | None:
    """Return the publisher this staff member writes as, or None when there is none."""
    publishers = news.list_publishers(db())
    if member.get("publisher_id"):
        return next((p for p in publishers if p["id"] == member["publisher_id"]), None)
    if member["role"] == roles.LANDLORD_AGENT:
        landlords = [p for p in publishers if p["kind"] == "landlord"]
        if len(landlords) == 1:
            return landlords[0]
    return None


def scope_key(kind: str, ref: str) -> str:
    """Return the short stable token a scope goes by in the form.

    District and city names hold spaces, which form field ids cannot.
    """
    return f"{kind}-{hashlib.sha256(ref.encode()).hexdigest()[:10]}"


def scope_options(item: dict[str, Any] | None = None) -> dict[str, tuple[str, str, str]]:
    """Return who may be reached, from my buildings up to their city.

    Each value is (scope kind, scope reference, label). The scope of an item being
    changed stays on offer even when it lies beyond my buildings (a colleague wrote it).
    """
    found: dict[str, tuple[str, str, str]] = {}
    for kind, (ref_key, name_key) in _SCOPE_KEYS.items():
        for building in my_buildings():
            label = translate(SCOPE_NAMES[kind], name=building[name_key])
            found.setdefault(scope_key(kind, building[ref_key]), (kind, building[ref_key], label))
    if item is not None:
        kind, ref = item["scope_kind"], item["scope_ref"]
        label = translate(SCOPE_NAMES[kind], name=item["scope_name"])
        found.setdefault(scope_key(kind, ref), (kind, ref, label))
    return found


def chosen_scope(values: dict[str, str], item: dict[str, Any] | None = None) -> tuple[str, str]:
    """Return the (kind, reference) of the scope chosen in the form, or say to choose one."""
    scope = scope_options(item).get(values["scope"])
    if scope is None:
        raise DomainError("scope_unknown", N_("Choose who will see this news."), "scope")
    return scope[0], scope[1]


def draft_photo(values: dict[str, str], current: str | None = None) -> str | None:
    """Return the picture of the draft: a new upload, the one already received, or none.

    ``current`` is the picture of the item being changed, kept unless removed or replaced.
    """
    upload = request.files.get("photos")
    if upload and upload.filename:
        config = current_app.config["RESIDACOEUR"]
        encoded = photos.reencode(
            upload.read(config["max_photo_bytes"] + 1),
            config["photo_max_side"],
            config["max_photo_bytes"],
        )
        photo_id = photos.store(db(), *encoded)
        # A photo not yet attached to anything is served only to the session that sent
        # it: that is how the preview can show it.
        session["draft_photos"] = [*session.get("draft_photos", []), photo_id][-12:]
        return photo_id
    if request.form.get("remove_picture"):
        return None
    return kept_photo(values, current)


def kept_photo(values: dict[str, str], current: str | None = None) -> str | None:
    """Return the picture named in the form if this person may use it, else None."""
    kept = values.get("photo_id") or None
    if kept is not None and (kept == current or kept in session.get("draft_photos", [])):
        return kept
    return None


def expiry(typed_date: str) -> datetime | None:
    """Return when news shown until the typed day ends (naive UTC), None for no end."""
    day = parse_date(typed_date, "expires_at")
    if day is None:
        return None
    # The news stays visible until the end of its last day where the building is.
    local = ZoneInfo(current_app.config["RESIDACOEUR"]["timezone"])
    end_of_day = datetime.combine(day, time(23, 59), tzinfo=local)
    return end_of_day.astimezone(UTC).replace(tzinfo=None)


def last_day(expires_at: datetime | None) -> str:
    """Return the day news ends where the building is, as the form's date field shows it."""
    if expires_at is None:
        return ""
    local = ZoneInfo(current_app.config["RESIDACOEUR"]["timezone"])
    return expires_at.replace(tzinfo=UTC).astimezone(local).date().isoformat()


def news_form_page(
    values: dict[str, str], publisher: dict[str, Any] | None, item: dict[str, Any] | None = None
):
    """Render the form to write news, or to change ``item``."""
    scopes = {key: label for key, (_kind, _ref, label) in scope_options(item).items()}
    return render_template(
        "staff/news_form.html", values=values, publisher=publisher, scopes=scopes, item=item
    )


def refuse_draft(
    error: DomainError,
    values: dict[str, str],
    publisher: dict[str, Any],
    item: dict[str, Any] | None = None,
):
    """Show the form again with what was typed and what is wrong."""
    scopes = {key: label for key, (_kind, _ref, label) in scope_options(item).items()}
    return refuse(
        "staff/news_form.html", error, values, publisher=publisher, scopes=scopes, item=item
    )


def preview(
    values: dict[str, str],
    publisher: dict[str, Any],
    attempt: Callable[[dict[str, str]], Any],
    item: dict[str, Any] | None = None,
):
    """Show the draft as tenants will see it, once ``attempt`` (publishing it) would succeed."""
    try:
        values["photo_id"] = draft_photo(values, item["photo_id"] if item else None) or ""
        # Publishing inside a savepoint that is undone checks the draft exactly as
        # publishing will, without anyone seeing it yet.
        with db().begin_nested() as trial:
            attempt(values)
            trial.rollback()
    except DomainError as error:
        # A picture already received is kept, so it need not be chosen again.
        keep_changes()
        return refuse_draft(error, values, publisher, item)
    return render_template(
        "staff/news_preview.html",
        values=values,
        publisher=publisher,
        item=item,
        scope_label=scope_options(item)[values["scope"]][2],
        expires_at=expiry(values["expires_at"]),
        now=item["published_at"] if item else utcnow(),
    )


def draft_sent(photo_id: str) -> None:
    """Forget a draft picture once it belongs to published news."""
    session["draft_photos"] = [p for p in session.get("draft_photos", []) if p != photo_id]


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
    publisher = publisher_for(g.staff)
    options = list(scope_options())
    values = {"scope": options[0] if len(options) == 1 else ""}
    return news_form_page(values, publisher)


@blueprint.post("/news/preview")
@staff_required(roles.PUBLISH_NEWS)
def preview_news():
    """Show the news as tenants will see it, before it is published."""
    publisher = publisher_for(g.staff)
    values = typed(*FIELDS)
    if publisher is None:
        return news_form_page(values, publisher), 422
    return preview(values, publisher, lambda draft: _publish(draft, publisher))


@blueprint.post("/news")
@staff_required(roles.PUBLISH_NEWS)
def publish_news():
    """Publish the previewed news, or go back to the form to change it."""
    publisher = publisher_for(g.staff)
    values = typed(*FIELDS)
    values["photo_id"] = kept_photo(values) or ""
    if publisher is None or request.form.get("action") != "publish":
        return news_form_page(values, publisher)
    try:
        _publish(values, publisher)
    except DomainError as error:
        return refuse_draft(error, values, publisher)
    draft_sent(values["photo_id"])
    flash(_("The news is published."), "success")
    return redirect(url_for("staff.my_news"))
