"""The staff home page: what this person's role can do, for their buildings."""

from __future__ import annotations

from flask import g, render_template

from appliance.domain import estate, roles
from webui.auth import staff_required
from webui.database import db
from webui.staff import blueprint


@blueprint.get("/")
@staff_required()
def dashboard():
    """Links to the tools of the staff member's role."""
    return render_template(
        "staff/dashboard.html",
        buildings=estate.list_buildings(db(), g.staff["building_ids"]),
        may=lambda permission: roles.may(g.staff["role"], permission),
        roles=roles,
    )
