"""The audit log for operators: who did what, on what, when."""

from __future__ import annotations

from flask import jsonify

from appliance.domain import audit, roles
from webui.api import blueprint, serialise
from webui.auth import staff_required
from webui.database import db


@blueprint.get("/staff/audit")
@staff_required(roles.VIEW_AUDIT)
def audit_log():
    """The latest entries of the audit log, newest first."""
    return jsonify(entries=[serialise.audit_entry(entry) for entry in audit.recent(db())])
