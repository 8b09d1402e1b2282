"""The operators' view of the fleet at the hub: every box, online or not, and its health."""

from __future__ import annotations

from flask import render_template

from appliance.domain import fleet, roles
from appliance.domain.clock import utcnow
from webui.auth import staff_required
from webui.database import db
from webui.staff import blueprint


@blueprint.get("/fleet")
@staff_required(roles.VIEW_FLEET)
def fleet_page():
    """Every box: offline ones first, then those gone silent, then the others by name."""
    now = utcnow()
    return render_template(
        "staff/fleet.html",
        boxes=fleet.list_fleet(db(), now),
        stale_after=fleet.STALE_AFTER,
        now=now,
    )
