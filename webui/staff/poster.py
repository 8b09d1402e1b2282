"""The lobby poster of one of my buildings, as a PDF to print (provisioning/poster.py).

It holds no code, so it is made while the page waits and may be printed again and again,
by ``residacoeur box print-poster``: the PDF's libraries stay out of the web workers.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys

from flask import current_app, g, send_file

from core.domain import building_contacts, roles, staff_buildings
from webui.auth import staff_required
from webui.database import db
from webui.portal_address import portal_address
from webui.staff import blueprint

# The process's start and one page: a few seconds; past this it is stuck.
POSTER_SECONDS = 60


@blueprint.get("/buildings/<building_id>/poster.pdf")
@staff_required(roles.KEEP_CONTACTS)
def lobby_poster(building_id: str):
    """The poster for the building's entrance hall."""
    building = staff_buildings.building(db(), g.staff, building_id)
    shown = {
        "box_name": current_app.config["RESIDACOEUR"]["box_name"],
        "portal_address": portal_address(),
        "building": {"name": building["name"], "address": building.get("address") or ""},
        "contacts": building_contacts.of_buildings(db(), [building_id]),
    }
    made = subprocess.run(
        [sys.executable, "-m", "appliance.cli", "box", "print-poster"],
        input=json.dumps(shown, default=str).encode(),
        capture_output=True,
        timeout=POSTER_SECONDS,
        check=True,
    )
    pdf = io.BytesIO(made.stdout)
    return send_file(
        pdf,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"poster-{building.get('code') or 'building'}.pdf",
    )
