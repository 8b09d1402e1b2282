"""The audit log page for operators: who did what, on what, and when."""

from __future__ import annotations

from flask import render_template

from core.domain import audit, roles
from core.domain.errors import N_
from webui.auth import staff_required
from webui.database import db
from webui.staff import blueprint

# Every action the audit log keeps, in words (a test checks none is left as a code).
ACTION_LABELS = {
    "staff.sign_in": N_("Signed in"),
    "dwelling.register": N_("Registered a dwelling"),
    "dwellings.import": N_("Imported a list of dwellings"),
    "code.issue": N_("Issued an access code"),
    "household.move_out": N_("Recorded a household moving out"),
    "report.move": N_("Changed the status of a report"),
    "report.reply": N_("Wrote to a household about a report"),
    "news.publish": N_("Published news"),
    "news.edit": N_("Changed news"),
    "news.withdraw": N_("Took news down"),
    "works.announce": N_("Announced works"),
    "works.edit": N_("Changed a works notice"),
    "works.withdraw": N_("Took a works notice down"),
    "deal.publish": N_("Published a deal"),
    "deal.change": N_("Changed a deal"),
    "deal.withdraw": N_("Took a deal down"),
    "partner.add": N_("Added a service to the directory"),
    "partner.change": N_("Changed a service of the directory"),
    "partner.remove": N_("Took a service out of the directory"),
    "help.answer": N_("Answered a request for help"),
    "session.organise": N_("Organised a first-steps session"),
    "session.change": N_("Changed a first-steps session"),
    "session.cancel": N_("Cancelled a first-steps session"),
    "contact.update": N_("Updated who tenants can turn to"),
    "moderation.dismiss": N_("Left a flagged thing as it was"),
    "moderation.hide": N_("Hid a flagged thing"),
    "moderation.restore": N_("Put back a hidden thing"),
    "moderation.warn": N_("Warned an author"),
    "moderation.suspend": N_("Suspended an author"),
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
