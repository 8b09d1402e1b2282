"""Staff pages, on a box and as the hub's console: reports, news and works, audit, fleet."""

from __future__ import annotations

from flask import Blueprint, g

from core.domain import roles
from webui.auth import place

blueprint = Blueprint("staff", __name__)


@blueprint.app_context_processor
def staff_permissions() -> dict:
    """Let every page ask what the signed-in staff member may do (the menu shows only that)."""

    def staff_may(permission: str) -> bool:
        member = g.get("staff")
        return member is not None and roles.may(member["role"], permission, place())

    return {"staff_may": staff_may}


from webui.staff import (  # noqa: E402,F401 - routes register on import
    audit_log,
    codes,
    contacts,
    dashboard,
    deals,
    dwellings,
    first_steps,
    fleet,
    fleet_box,
    help_desk,
    lobby_screens,
    moderation,
    news,
    partners,
    photos,
    poster,
    readable,
    reports,
    response_times,
    rooms,
    roster_import,
    sign_in,
    works,
)
