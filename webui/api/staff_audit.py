"""The audit log for operators: who did what, on what, when."""

from __future__ import annotations

from typing import Any

from core.domain import audit, roles
from webui.api import blueprint
from webui.api.fields import Answer, Id, Instant
from webui.api.spec import Response, spec
from webui.auth import staff_required
from webui.database import db


class AuditActor(Answer):
    """Who did it."""

    id: Id
    name: str


class AuditEntry(Answer):
    """One action of a staff member."""

    id: Id
    at: Instant
    actor: AuditActor | None
    action: str
    target: str
    detail: dict[str, Any]

    @classmethod
    def of(cls, entry: dict[str, Any]) -> AuditEntry:
        """One line of the audit log; an action of the server itself has no actor."""
        actor = entry["actor_staff_id"]
        return cls(
            id=str(entry["id"]),
            at=entry["at"],
            actor=AuditActor(id=actor, name=entry["actor_name"]) if actor else None,
            action=entry["action"],
            target=entry["target"],
            detail=entry["detail"],
        )


class AuditLog(Answer):
    """The latest entries, newest first."""

    entries: list[AuditEntry]


@blueprint.get("/staff/audit")
@staff_required(roles.VIEW_AUDIT)
@spec.validate(resp=Response(HTTP_200=AuditLog), tags=["staff"])
def audit_log():
    """The latest entries of the audit log, newest first."""
    return AuditLog(entries=[AuditEntry.of(entry) for entry in audit.recent(db())])
