"""A local shop's deals in the staff pages, written at the hub for the residences of its
buildings (the flow is ``publishing``)."""

from __future__ import annotations

from typing import Any

from flask import g

from core.domain import deals, news, roles, staff_buildings
from core.domain.errors import N_, NotFound
from webui.database import db
from webui.form_dates import parse_date
from webui.staff.publishing import Flow, TakingDown, register


def _residences() -> dict[str, str]:
    """Return the residences of my buildings, by id, with their names."""
    return {
        b["residence_id"]: b["residence_name"] for b in staff_buildings.buildings(db(), g.staff)
    }


def _fields(values: dict[str, Any], item: dict[str, Any] | None) -> dict[str, Any]:
    offered = _residences()
    return {
        "title": values["title"],
        "description": values["description"],
        "valid_from": parse_date(values["valid_from"], "valid_from", N_("Give the first day.")),
        "valid_until": parse_date(values["valid_until"], "valid_until", N_("Give the last day.")),
        "residence_ids": [r for r in values["residences"] if r in offered],
    }


def _values(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": item["title"],
        "description": item["description"],
        "valid_from": item["valid_from"].isoformat(),
        "valid_until": item["valid_until"].isoformat(),
        "photo_id": item["photo_id"] or "",
        "residences": item["residence_ids"],
    }


def _one(deal_id: str) -> dict[str, Any]:
    publisher = news.publisher_for(db(), g.staff)
    if publisher is None:
        raise NotFound("deal_not_found", N_("This deal does not exist."))
    return deals.one_of_shop(db(), publisher["id"], deal_id)


def _shown_to(item: dict[str, Any]) -> str:
    residences = _residences()
    return ", ".join(residences.get(r, r) for r in item["residence_ids"])


register(
    Flow(
        path="deals",
        permission=roles.PUBLISH_DEALS,
        kind=deals.PUBLICATION,
        fields=("title", "description", "valid_from", "valid_until", "photo_id"),
        lists=("residences",),
        fields_of=_fields,
        values_of=_values,
        blank=lambda: {"residences": list(_residences())},
        mine=lambda publisher: deals.of_shop(db(), publisher["id"]),
        one=_one,
        shown_to=_shown_to,
        published=N_("The deal is published: tenants of these residences see it."),
        taking_down=TakingDown(
            question=N_("Take this deal down?"),
            button=N_("Take the deal down"),
            consequences=(
                N_("Tenants no longer see it, in every residence where it was shown."),
                N_("To show the deal again, publish it again."),
            ),
            done=N_("The deal is taken down: tenants no longer see it."),
        ),
        context=lambda item: {"residences": _residences()},
        translated=(
            ("title", N_("The deal"), "line", 140),
            ("description", N_("Details"), "text", 3000),
        ),
    )
)
