"""The lobby poster of one of my buildings, as a PDF to print (provisioning/poster.py).

It holds no code, so it is made at once, in the request, and may be printed again and
again.
"""

from __future__ import annotations

import io

from flask import current_app, g, send_file

from core.domain import building_contacts, roles, staff_buildings
from provisioning import poster
from webui.auth import staff_required
from webui.database import db
from webui.i18n import catalog
from webui.staff import blueprint, letters


@blueprint.get("/buildings/<building_id>/poster.pdf")
@staff_required(roles.KEEP_CONTACTS)
def lobby_poster(building_id: str):
    """The poster for the building's entrance hall."""
    building = staff_buildings.building(db(), g.staff, building_id)
    pdf = io.BytesIO()
    poster.write_pdf(
        current_app.config["RESIDACOEUR"]["box_name"],
        letters.portal_address(),
        building,
        building_contacts.of_buildings(db(), [building_id]),
        catalog,
        pdf,
    )
    pdf.seek(0)
    return send_file(
        pdf,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"poster-{building.get('code') or 'building'}.pdf",
    )
