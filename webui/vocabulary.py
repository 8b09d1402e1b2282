"""The domain's words and icons, made available to every template."""

from __future__ import annotations

from flask import Flask

from core.domain import building_contacts, news, reports, roles, scope
from core.domain import report_status as rs

CATEGORY_ICONS = {
    "leak": "drop",
    "heating_water": "heat",
    "lift": "lift",
    "lock": "lock",
    "noise": "noise",
    "pests": "bug",
    "cleanliness": "broom",
    "damage": "damage",
    "safety": "shield",
    "other": "dots",
}
LOCATION_ICONS = {
    "dwelling": "home",
    "hall": "door",
    "staircase": "stairs",
    "lift": "lift",
    "car_park": "car",
    "outside": "tree",
}


def init_app(app: Flask) -> None:
    """Expose labels and icons of categories, places, statuses, publishers and roles."""
    app.jinja_env.globals.update(
        categories=reports.CATEGORIES,
        locations=reports.LOCATIONS,
        category_icons=CATEGORY_ICONS,
        contact_roles=building_contacts.ROLES,
        location_icons=LOCATION_ICONS,
        status_labels=rs.LABELS,
        status_explanations=rs.EXPLANATIONS,
        open_statuses=rs.OPEN,
        publisher_kinds=news.PUBLISHER_KIND_LABELS,
        scope_labels=scope.SCOPE_LABELS,
        role_labels=roles.ROLE_LABELS,
        max_photos=reports.MAX_PHOTOS,
    )
