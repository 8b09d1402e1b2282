"""The caretaker's queue: what residents flagged, and the decision on each.

Hide or restore a post or an answer, warn its author, or suspend them for some days;
the author is told the decision and the reason, and the audit log keeps it.
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from core.domain import moderation, roles
from core.domain.errors import DomainError
from webui.auth import staff_required
from webui.database import db
from webui.forms import refuse, typed
from webui.staff import blueprint


def _context() -> dict:
    return {
        "items": moderation.queue(db(), g.staff["building_ids"]),
        "decisions": moderation.DECISIONS,
        "reasons": moderation.REASONS,
        "days": moderation.SUSPENSION_DAYS,
    }


@blueprint.get("/moderation")
@staff_required(roles.MODERATE)
def moderation_queue():
    """Everything flagged in my buildings and not decided yet, most flagged first."""
    return render_template("staff/moderation.html", values={}, errors={}, **_context())


@blueprint.post("/moderation/<kind>/<target_id>")
@staff_required(roles.MODERATE)
def decide(kind: str, target_id: str):
    """Apply my decision on one flagged thing; its author is told why."""
    values = typed("decision", "reason", "days")
    days = int(values["days"]) if values["days"].isdigit() else None
    try:
        moderation.decide(
            db(), g.staff, kind, target_id, values["decision"], values["reason"], days
        )
    except DomainError as error:
        return refuse(
            "staff/moderation.html", error, values, failed=(kind, target_id), **_context()
        )
    if values["decision"] == "dismiss":
        flash(_("Done. The flags are cleared and it stays shown."), "success")
    else:
        flash(_("Done. The author is told what you decided and why."), "success")
    return redirect(url_for("staff.moderation_queue"))
