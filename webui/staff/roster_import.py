"""Importing a list of dwellings (CSV, uploaded or pasted): all lines or none, one letter each."""

from __future__ import annotations

from typing import BinaryIO

from flask import current_app, g, render_template, request

from core.domain import audit, roles, staff_buildings
from core.domain.errors import N_, DomainError
from provisioning import roster, roster_file
from webui.auth import staff_required
from webui.database import db
from webui.forms import refuse
from webui.i18n import translate
from webui.staff import blueprint, letters

# As much as the text box holds (its maxlength): a longer file is not shown again.
SHOWN_AGAIN = 1_000_000


def _sent_roster() -> str | BinaryIO:
    """Return the roster sent: the uploaded file if there is one, else the pasted text."""
    upload = request.files.get("roster_file")
    if upload and upload.filename:
        return upload.stream
    text = request.form.get("roster_text", "")
    if not text.strip():
        raise DomainError("roster_missing", N_("Choose a file or paste the list."), "roster_file")
    return text


@blueprint.get("/dwellings/import")
@staff_required(roles.MANAGE_DWELLINGS)
def import_dwellings():
    """The form to send a list of dwellings."""
    return render_template(
        "staff/dwelling_import.html",
        values={"letter_locale": letters.letter_locale()},
        bad_lines=[],
        buildings=staff_buildings.buildings(db(), g.staff),
    )


@blueprint.post("/dwellings/import")
@staff_required(roles.MANAGE_DWELLINGS)
def receive_dwellings():
    """Register every dwelling of the list and print their letters, or explain each bad line."""
    values = {
        "roster_text": request.form.get("roster_text", ""),
        "letter_locale": letters.letter_locale(),
    }
    try:
        sent = _sent_roster()
        imported = roster.import_roster(
            db(), current_app.config["ACCESS_CODE_PEPPER"], sent, g.staff["building_ids"]
        )
    except roster.RosterError as error:
        if not isinstance(sent, str):
            # What was uploaded comes back in the text box, to be fixed right there.
            values["roster_text"] = roster_file.text_of(sent, SHOWN_AGAIN) or ""
        return refuse(
            "staff/dwelling_import.html",
            error,
            values,
            bad_lines=error.translated(translate),
            buildings=staff_buildings.buildings(db(), g.staff),
        )
    except DomainError as error:
        return refuse(
            "staff/dwelling_import.html",
            error,
            values,
            bad_lines=[],
            buildings=staff_buildings.buildings(db(), g.staff),
        )
    audit.record(
        db(),
        g.staff["id"],
        "dwellings.import",
        f"dwellings:{len(imported)}",
        references=[row["reference"] for row in imported],
    )
    return letters.print_issued(imported, values["letter_locale"])
