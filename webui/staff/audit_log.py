"""The audit log page for operators: who did what, on what, and when."""

from __future__ import annotations

from flask import render_template

from core.domain import audit, roles
from core.domain.errors import N_
from webui.auth import staff_required
from webui.database import db
from webui.staff import blueprint

# Actions written by the staff pages; others are shown by their code.
ACTION_LABELS = {
    "staff.sign_in": N_("Signed in"),
    "dwelling.register": N_("Registered a dwelling"),
    "dwellings.import": N_("Imported a list of dwellings"),
    "code.issue": N_("Issued an access code"),
    "household.move_out": N_("Recorded a household moving out"),
    "report.move": N_("Changed the status of a report"),
    "report.reply": N_("Wrote to a household about a report"),
    "news.publish": N_("Published news"),
    "works.announce": N_("Announced works"),
    "conflict.apply": N_("Applied a box's message kept in a conflict"),
    "conflict.set_aside": N_("Set aside a box's message kept in a conflict"),
}
SHOWN = 200


@blueprint.get("/audit")
@staff_required(roles.VIEW_AUDIT)
def audit_page():
    """The latest entries of the audit log, newest first."""
    return render_template(
        "staff/audit.html",
        entries=audit.recent(db(), limit=SHOWN),
        action_labels=ACTION_LABELS,
        shown=SHOWN,
    )
