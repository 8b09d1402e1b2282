"""News in the staff pages: written, seen as tenants will see it, then published, for the
staff member's buildings or around them (the flow is ``publishing``)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from flask import g

from core.domain import news, news_listing, roles, staff_buildings
from core.domain.clock import utcnow
from core.domain.errors import N_
from webui.database import db
from webui.form_dates import local, parse_date, to_utc
from webui.staff.publishing import (
    Flow,
    TakingDown,
    chosen_scope,
    one_scope,
    register,
    scope_context,
    scope_key,
    scope_options,
    scope_shown_to,
)


def expiry(typed_date: str) -> datetime | None:
    """Return when news shown until the typed day ends (naive UTC), None for no end."""
    day = parse_date(typed_date, "expires_at")
    if day is None:
        return None
    # The news stays visible until the end of its last day where the building is.
    return to_utc(day, time(23, 59))


def _last_day(expires_at: datetime | None) -> str:
    """Return the day news ends where the building is, as the form's date field shows it."""
    if expires_at is None:
        return ""
    return local(expires_at).date().isoformat()


def _fields(values: dict[str, Any], item: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "title": values["title"],
        "body": values["body"],
        "expires_at": expiry(values["expires_at"]),
        **chosen_scope(values, item),
    }


def _values(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": item["title"],
        "body": item["body"],
        "scope": scope_key(item["scope_kind"], item["scope_ref"]),
        "expires_at": _last_day(item["expires_at"]),
        "photo_id": item["photo_id"] or "",
    }


def _mine(publisher: dict[str, Any] | None) -> list[dict[str, Any]]:
    return news_listing.of_publisher(
        db(), publisher["id"], staff_buildings.buildings(db(), g.staff)
    )


def _preview(
    values: dict[str, Any], publisher: dict[str, Any], item: dict[str, Any] | None
) -> dict[str, Any]:
    return {
        "scope_label": scope_options(item)[values["scope"]][2],
        "expires_at": expiry(values["expires_at"]),
        "now": item["published_at"] if item else utcnow(),
    }


register(
    Flow(
        path="news",
        permission=roles.PUBLISH_NEWS,
        kind=news.PUBLICATION,
        fields=("title", "body", "scope", "expires_at", "photo_id"),
        fields_of=_fields,
        values_of=_values,
        blank=one_scope,
        mine=_mine,
        one=lambda news_id: staff_buildings.news_item(db(), g.staff, news_id)[1],
        shown_to=scope_shown_to,
        published=N_("The news is published."),
        taking_down=TakingDown(
            question=N_("Take this news down?"),
            button=N_("Take the news down"),
            consequences=(
                N_("Tenants no longer see it, in every building where it was shown."),
                N_("To show it again, you will have to publish it again."),
            ),
            done=N_("The news “%(title)s” is taken down: tenants no longer see it."),
        ),
        context=scope_context,
        preview=_preview,
        translated=(("title", N_("Title"), "line", 140), ("body", N_("Text"), "text", 10000)),
    )
)
