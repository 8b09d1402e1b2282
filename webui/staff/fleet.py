"""The operators' view of the fleet at the hub: every box, online or not, its health and
the trouble on its link."""

from __future__ import annotations

from flask import render_template

from appliance.domain import fleet, link_trouble, roles
from appliance.domain.clock import utcnow
from webui.auth import staff_required
from webui.database import db
from webui.staff import blueprint


@blueprint.get("/fleet")
@staff_required(roles.VIEW_FLEET)
def fleet_page():
    """Every box: offline ones first, then those gone silent, then the others by name;
    above them, the boxes whose link is stuck."""
    now = utcnow()
    boxes = fleet.list_fleet(db(), now)
    trouble = link_trouble.of_fleet(db(), now)
    return render_template(
        "staff/fleet.html",
        boxes=boxes,
        trouble=trouble,
        clear=link_trouble.CLEAR,
        stuck=[box for box in boxes if trouble.get(box["id"], link_trouble.CLEAR).stuck],
        stale_after=fleet.STALE_AFTER,
        stuck_after=link_trouble.STUCK_AFTER,
        now=now,
    )
