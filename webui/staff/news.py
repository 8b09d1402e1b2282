"""Publishing news: write, see it as tenants will, then publish — for the staff's buildings.

A staff member publishes under their own publisher; a landlord agent without one
publishes as the landlord when the box knows exactly one landlord publisher.
"""

from __future__ import annotations

import hashlib
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


def scope_options() -> dict[str, tuple[str, str, str]]:
    """Return who may be reached, from my buildings up to their city.

    Keyed by a short stable token (district and city names hold spaces, which form
    field ids cannot); each value is (scope kind, scope reference, label).
    """
    buildings = my_buildings()
    found: list[tuple[str, str, str]] = []
    for kind, ref_key, label, name_key in (
        ("building", "id", N_("%(name)s (building)"), "name"),
        ("residence", "residence_id", N_("%(name)s (residence)"), "residence_name"),
        ("district", "district", N_("%(name)s (district)"), "district"),
        ("city", "city", N_("%(name)s (whole city)"), "city"),
    ):
        for building in buildings:
            found.append((kind, building[ref_key], translate(label, name=building[name_key])))
    return {
        f"{kind}-{hashlib.sha256(ref.encode()).hexdigest()[:10]}": (kind, ref, label)
        for kind, ref, label in found
    }


def _choices() -> dict[str, str]:
    return {key: label for key, (_kind, _ref, label) in scope_options().items()}


def _draft_photo(values: dict[str, str]) -> str | None:
    """Return the picture of the draft: a new upload, or the one already received."""
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
    kept = values.get("photo_id") or None
    if request.form.get("remove_picture") or kept not in session.get("draft_photos", []):
        return None
    return kept


def _expiry(typed_date: str) -> datetime | None:
    day = parse_date(typed_date, "expires_at")
    if day is None:
        return None
    # The news stays visible until the end of its last day where the building is.
    local = ZoneInfo(current_app.config["RESIDACOEUR"]["timezone"])
    end_of_day = datetime.combine(day, time(23, 59), tzinfo=local)
    return end_of_day.astimezone(UTC).replace(tzinfo=None)


def _publish(values: dict[str, str], publisher: dict[str, Any]) -> str:
    scope = scope_options().get(values["scope"])
    if scope is None:
        raise DomainError("scope_unknown", N_("Choose who will see this news."), "scope")
    kind, ref, _label = scope
    return news.publish(
        db(),
        publisher["id"],
        values["title"],
        values["body"],
        kind,
        ref,
        expires_at=_expiry(values["expires_at"]),
        photo_id=values["photo_id"] or None,
        author_staff_id=g.staff["id"],
    )


def _form(values: dict[str, str], publisher: dict[str, Any] | None):
    return render_template(
        "staff/news_form.html", values=values, publisher=publisher, scopes=_choices()
    )


@blueprint.get("/news")
@staff_required(roles.PUBLISH_NEWS)
def news_form():
    """The form to write a news item."""
    publisher = publisher_for(g.staff)
    options = list(scope_options())
    values = {"scope": options[0] if len(options) == 1 else ""}
    return _form(values, publisher)


@blueprint.post("/news/preview")
@staff_required(roles.PUBLISH_NEWS)
def preview_news():
    """Show the news as tenants will see it, before it is published."""
    publisher = publisher_for(g.staff)
    values = typed(*FIELDS)
    if publisher is None:
        return _form(values, publisher), 422
    try:
        values["photo_id"] = _draft_photo(values) or ""
        # Publishing inside a savepoint that is undone checks the draft exactly as
        # publishing will, without anyone seeing it yet.
        with db().begin_nested() as trial:
            _publish(values, publisher)
            trial.rollback()
    except DomainError as error:
        # A picture already received is kept, so it need not be chosen again.
        keep_changes()
        return refuse("staff/news_form.html", error, values, publisher=publisher, scopes=_choices())
    return render_template(
        "staff/news_preview.html",
        values=values,
        publisher=publisher,
        scope_label=scope_options()[values["scope"]][2],
        expires_at=_expiry(values["expires_at"]),
        now=utcnow(),
    )


@blueprint.post("/news")
@staff_required(roles.PUBLISH_NEWS)
def publish_news():
    """Publish the previewed news, or go back to the form to change it."""
    publisher = publisher_for(g.staff)
    values = typed(*FIELDS)
    if values["photo_id"] not in session.get("draft_photos", []):
        values["photo_id"] = ""
    if publisher is None or request.form.get("action") != "publish":
        return _form(values, publisher)
    try:
        _publish(values, publisher)
    except DomainError as error:
        return refuse("staff/news_form.html", error, values, publisher=publisher, scopes=_choices())
    session["draft_photos"] = [
        p for p in session.get("draft_photos", []) if p != values["photo_id"]
    ]
    flash(_("The news is published."), "success")
    return redirect(url_for("staff.news_form"))
