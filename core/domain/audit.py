"""The audit log: every action staff take, and the video rooms tenants open for their
events, with who, what, on what and when."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from core.domain.clock import utcnow
from core.storage.schema import audit_log, staff


def record(
    connection: Connection, actor_staff_id: str | None, action: str, target: str = "", **detail: Any
) -> None:
    """Write one entry of the audit log."""
    connection.execute(
        audit_log.insert().values(
            at=utcnow(),
            actor_staff_id=actor_staff_id,
            action=action,
            target=target,
            detail=json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True),
        )
    )


def recent(connection: Connection, limit: int = 200) -> list[dict[str, Any]]:
    """Return the latest entries, newest first, with the actor's name."""
    rows = connection.execute(
        select(audit_log, staff.c.display_name.label("actor_name"))
        .outerjoin(staff, staff.c.id == audit_log.c.actor_staff_id)
        .order_by(audit_log.c.id.desc())
        .limit(limit)
    ).mappings()
    return [{**row, "detail": json.loads(row["detail"] or "{}")} for row in rows]
