"""The fleet for operators at the hub: every box and how it was last heard of."""

from __future__ import annotations

from flask import jsonify

from appliance.domain import fleet, roles
from appliance.domain.clock import utcnow
from webui.api import blueprint, serialise
from webui.auth import staff_required
from webui.database import db


@blueprint.get("/fleet")
@staff_required(roles.VIEW_FLEET)
def fleet_list():
    """Every box: offline ones first, then silent ones, then by label."""
    return jsonify(boxes=[serialise.box(box) for box in fleet.list_fleet(db(), utcnow())])
