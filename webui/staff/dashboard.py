"""The staff home page: what this person's role can do, for their buildings."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, render_template

from core import box_certificate
from core.domain import lan_names, reports, roles, side, staff_agenda, staff_buildings
from webui.auth import place, staff_required
from webui.database import db
from webui.portal_address import portal_address
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
        reaching=_how_tenants_reach_the_portal(),
    )


def _how_tenants_reach_the_portal() -> dict[str, Any] | None:
    """On a box, for those who print letters: the address tenants are given, and whether
    phones trust the portal's certificate there."""
    config = current_app.config["RESIDACOEUR"]
    if config["role"] != "box" or not roles.may(g.staff["role"], roles.MANAGE_DWELLINGS):
        return None
    facts = box_certificate.current_facts(config["data_dir"])
    return {
        "address": portal_address(),
        "trusted_until": facts.not_after if facts and not facts.self_made else None,
        "local_name": lan_names.configured_label(config["lan_name"], config["box_name"]),
    }
