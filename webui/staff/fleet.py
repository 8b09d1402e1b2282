"""The operators' view of the fleet at the hub: every box, online or not, its health and
the trouble on its link."""

from __future__ import annotations

from flask import current_app, render_template

from core.domain import certificates, disk_space, fleet, link_trouble, roles
from core.domain.clock import utcnow
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
    # A box's own reserve is its setting; the hub's stands for the fleet's.
    reserve = current_app.config["RESIDACOEUR"]["min_free_disk_bytes"]
    return render_template(
        "staff/fleet.html",
        boxes=boxes,
        trouble=trouble,
        certificates=certificates.of_boxes(db()),
        clear=link_trouble.CLEAR,
        stuck=[box for box in boxes if trouble.get(box["id"], link_trouble.CLEAR).stuck],
        nearly_full={
            box["id"] for box in boxes if disk_space.nearly_full(box["disk_free_bytes"], reserve)
        },
        stale_after=fleet.STALE_AFTER,
        stuck_after=link_trouble.STUCK_AFTER,
        now=now,
    )
