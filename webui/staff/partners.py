"""The directory of partners' services in the staff pages, kept at the hub for the
districts and cities of the staff member's buildings (the flow is ``publishing``)."""

from __future__ import annotations

from typing import Any

from flask import g

from core.domain import partners, roles, staff_buildings
from core.domain.errors import N_, NotFound
from webui.database import db
from webui.staff.publishing import (
    Flow,
    TakingDown,
    chosen_scope,
    register,
    scope_context,
    scope_key,
    scope_shown_to,
)

FIELDS = ("name", "category", "description", "address", "phone", "opening_hours")


def _reaching() -> list[dict[str, Any]]:
    return partners.all_reaching(db(), staff_buildings.buildings(db(), g.staff))


def _one(partner_id: str) -> dict[str, Any]:
    for item in _reaching():
        if item["id"] == partner_id:
            return item
    raise NotFound("partner_not_found", N_("This service is not in the directory."))


def _values(item: dict[str, Any]) -> dict[str, Any]:
    return {name: item[name] for name in FIELDS} | {
        "scope": scope_key(item["scope_kind"], item["scope_ref"])
    }


register(
    Flow(
        path="partners",
        permission=roles.MANAGE_PARTNERS,
        kind=partners.PUBLICATION,
        fields=(*FIELDS, "scope"),
        fields_of=lambda values, item: (
            {name: values[name] for name in FIELDS} | chosen_scope(values, item)
        ),
        values_of=_values,
        blank=dict,
        mine=lambda publisher: _reaching(),
        one=_one,
        shown_to=scope_shown_to,
        published=N_("The service is in the directory of the boxes around it."),
        taking_down=TakingDown(
            question=N_("Take this service out of the directory?"),
            button=N_("Take it out of the directory"),
            consequences=(
                N_("Tenants of the buildings around it no longer find it in their portal."),
                N_("To list it again, you will have to add it again."),
            ),
            done=N_("The service is out of the directory."),
        ),
        context=lambda item: scope_context(item) | {"categories": partners.CATEGORIES},
        for_publisher=False,
        translated=(
            ("description", N_("What they do, in simple words"), "text", 3000),
            ("opening_hours", N_("Opening hours (optional)"), "text", 1000),
        ),
    )
)
