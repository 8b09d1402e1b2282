"""What the neighbourhood offers: local shops' deals and partners' services."""

from __future__ import annotations

from flask import g, render_template

from core.domain import deals, estate, partners
from webui.auth import tenant_required
from webui.database import db
from webui.page_cache import reused_when_unchanged
from webui.portal import blueprint

PARTNER_ICONS = {
    "social": "people",
    "family": "users",
    "health": "heart",
    "association": "hand",
    "digital": "tv",
    "employment": "badge",
    "other": "info",
}


@blueprint.get("/deals")
@tenant_required
@reused_when_unchanged
def deal_list():
    """The local shops' deals for my residence, valid today."""
    return render_template(
        "portal/deals.html", items=deals.current(db(), g.profile["residence_id"])
    )


@blueprint.get("/services")
@tenant_required
@reused_when_unchanged
def service_list():
    """Services near me: who they are, what they do, where and when."""
    building = estate.get_building(db(), g.profile["building_id"])
    return render_template(
        "portal/services.html",
        items=partners.directory(db(), building),
        categories=partners.CATEGORIES,
        icons=PARTNER_ICONS,
    )
