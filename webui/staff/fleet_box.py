"""One box's link for operators: its messages set aside, its conflicts, and the decision
on each conflict (link/conflict_decision.py)."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.domain import certificates, disk_space, fleet, kept_aside, link_trouble, roles
from core.domain.clock import utcnow
from core.domain.errors import DomainError
from link import conflict_decision
from webui.auth import staff_required
from webui.database import db
from webui.i18n import translate
from webui.staff import blueprint


@blueprint.get("/fleet/<box_id>")
@staff_required(roles.VIEW_FLEET)
def box_page(box_id: str):
    """What is wrong on one box's link: the conflicts to decide, then the messages set
    aside, newest first, a page at a time."""
    now = utcnow()
    before = request.args.get("before") or None
    box = fleet.one_box(db(), box_id, now)
    reserve = current_app.config["RESIDACOEUR"]["min_free_disk_bytes"]
    return render_template(
        "staff/fleet_box.html",
        box=box,
        nearly_full=disk_space.nearly_full(box["disk_free_bytes"], reserve),
        trouble=link_trouble.of_box(db(), box_id, now),
        certificate=certificates.of_boxes(db(), [box_id]).get(box_id),
        conflicts=kept_aside.undecided_conflicts(db(), box_id),
        kept=kept_aside.page(db(), box_id, before),
        first_page=before is None,
        shown_bytes=kept_aside.SHOWN_BYTES,
        stale_after=fleet.STALE_AFTER,
        stuck_after=link_trouble.STUCK_AFTER,
        apply=conflict_decision.APPLY,
        set_aside=conflict_decision.SET_ASIDE,
        now=now,
    )


def _told(outcome: conflict_decision.Outcome, decision: str) -> None:
    if outcome.refusal is not None:
        flash(
            _(
                "The message under number %(seq)d could not be applied: nothing changed, and "
                "it still waits for your decision. The reason given: %(reason)s",
                seq=outcome.seq,
                reason=outcome.refusal,
            ),
            "error",
        )
    elif decision == conflict_decision.APPLY:
        flash(
            _(
                "The box's message under number %(seq)d is applied. The box deletes its "
                "copy when the hub next acknowledges its messages.",
                seq=outcome.seq,
            ),
            "success",
        )
    else:
        flash(
            _(
                "The box's message under number %(seq)d is set aside, never to be applied. "
                "The box deletes its copy when the hub next acknowledges its messages.",
                seq=outcome.seq,
            ),
            "success",
        )


# Conflicts are numbered in an ``integer`` column: a bigger number is no conflict at all.
@blueprint.post("/fleet/<box_id>/conflicts/<int(max=2147483647):conflict_id>")
@staff_required(roles.DECIDE_CONFLICTS)
def decide_conflict(box_id: str, conflict_id: int):
    """Apply the box's message kept in a conflict, or set it aside; then back to the box."""
    decision = request.form.get("decision", "")
    try:
        outcome = conflict_decision.decide(db(), conflict_id, decision, g.staff["id"])
    except DomainError as error:
        flash(translate(error.message, **error.params), "error")
        return redirect(url_for("staff.box_page", box_id=box_id))
    _told(outcome, decision)
    return redirect(url_for("staff.box_page", box_id=outcome.box_id))
