"""The staff home page: what this person's role can do, for their buildings."""

from __future__ import annotations

from flask import g, render_template

from core.domain import reports, roles, side, staff_agenda, staff_buildings
from webui.auth import place, staff_required
from webui.database import db
from webui.staff import blueprint, first_steps


@blueprint.get("/")
@staff_required()
def dashboard():
    """What waits for the staff member, then the tools of their role."""
    open_reports = None
    if roles.may(g.staff["role"], roles.VIEW_REPORTS):
        everything_open = reports.AgentFilter(g.staff["building_ids"], status="open")
        open_reports = reports.count_for_agent(db(), everything_open)
    return render_template(
        "staff/dashboard.html",
        buildings=staff_buildings.buildings(db(), g.staff),
        open_reports=open_reports,
        answered_at_hub=side.is_linked_box(db()),
        waiting=staff_agenda.waiting_for(db(), g.staff, place()),
        session_scopes=first_steps.SCOPES,
    )
