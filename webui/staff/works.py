"""Works notices in the staff pages: written, seen as tenants will see them, then
announced, for the staff member's buildings or around them (the flow is ``publishing``)."""

from __future__ import annotations

from typing import Any

from flask import g

from core.domain import roles, staff_buildings, works
from core.domain.errors import N_
from webui.database import db
from webui.form_dates import parse_date
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


def _fields(values: dict[str, Any], item: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "title": values["title"],
        "location": values["location"],
        "starts_on": parse_date(
            values["starts_on"], "starts_on", N_("Give the first day of the works.")
        ),
        "ends_on": parse_date(values["ends_on"], "ends_on", N_("Give the last day of the works.")),
        "tenant_action": values["tenant_action"],
        **chosen_scope(values, item),
    }


def _values(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": item["title"],
        "location": item["location"],
        "starts_on": item["starts_on"].isoformat(),
        "ends_on": item["ends_on"].isoformat(),
        "tenant_action": item["tenant_action"],
        "scope": scope_key(item["scope_kind"], item["scope_ref"]),
        "photo_id": item["photo_id"] or "",
    }


def _mine(publisher: dict[str, Any] | None) -> list[dict[str, Any]]:
    return works.of_publisher(db(), publisher["id"], staff_buildings.buildings(db(), g.staff))


def _preview(
    values: dict[str, Any], publisher: dict[str, Any], item: dict[str, Any] | None
) -> dict[str, Any]:
    notice = _fields(values, item) | {
        "language": values["language"],
        "photo_id": values["photo_id"] or None,
        "publisher_name": publisher["name"],
        "publisher_kind": publisher["kind"],
    }
    return {"notice": notice, "scope_label": scope_options(item)[values["scope"]][2]}


register(
    Flow(
        path="works",
        permission=roles.ANNOUNCE_WORKS,
        kind=works.PUBLICATION,
        fields=("title", "location", "starts_on", "ends_on", "tenant_action", "scope", "photo_id"),
        fields_of=_fields,
        values_of=_values,
        blank=one_scope,
        mine=_mine,
        one=lambda notice_id: staff_buildings.works_notice(db(), g.staff, notice_id)[1],
        shown_to=scope_shown_to,
        published=N_("The works are announced: tenants see them first on their home page."),
        taking_down=TakingDown(
            question=N_("Take this works notice down?"),
            button=N_("Take the notice down"),
            consequences=(
                N_("Tenants no longer see it."),
                N_("If the works take place after all, announce them again."),
            ),
            done=N_("The works notice “%(title)s” is taken down: tenants no longer see it."),
        ),
        context=scope_context,
        preview=_preview,
        translated=(
            ("title", N_("What works"), "line", 140),
            ("location", N_("Where"), "line", 140),
            ("tenant_action", N_("What tenants must do (optional)"), "text", 5000),
        ),
    )
)
