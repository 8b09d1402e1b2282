"""The caretaker's queue: what residents flagged in my buildings, and my decision on each.

Hide or restore a post or an answer, warn its author, or suspend them for some days; the
author is told the decision and the reason, and the audit log keeps it. Those who
flagged stay anonymous.
"""

from __future__ import annotations

from flask import g, jsonify

from appliance.domain import moderation, roles
from appliance.domain.errors import N_, NotFound
from webui.api import blueprint, serialise
from webui.api.body import json_object, optional_integer, text
from webui.auth import staff_required
from webui.database import db


def _queue():
    items = moderation.queue(db(), g.staff["building_ids"])
    return jsonify(items=[serialise.flagged(item) for item in items])


@blueprint.get("/staff/moderation")
@staff_required(roles.MODERATE)
def moderation_queue():
    """Everything flagged in my buildings and not decided yet, most flagged first."""
    return _queue()


@blueprint.post("/staff/moderation/decisions")
@staff_required(roles.MODERATE)
def decide():
    """Apply my decision on one flagged thing; its author is told why."""
    body = json_object()
    kind = text(body, "kind")
    if kind not in moderation.TARGETS:
        raise NotFound("target_not_found", N_("This no longer exists."))
    moderation.decide(
        db(),
        g.staff,
        kind,
        text(body, "target_id"),
        text(body, "decision"),
        text(body, "reason"),
        optional_integer(body, "days"),
    )
    return _queue()
