"""What a tenant is told in the portal, with an unread count on every page.

Each notification names what happened (its kind), what it is about (a post, a report,
a conversation…) and the few words its sentence needs. They are written in the same
transaction as what they tell, by whoever makes the change: a web worker, or the box
agent applying what the hub sent.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from core.domain.clock import new_id, utcnow
from core.storage.schema import dwellings, notifications, profiles

KINDS = (
    "post_comment",
    "message",
    "report_status",
    "report_reply",
    "works",
    "event_changed",
    "moderation",
    "help_answered",
    "inactive",
)


def tell(
    connection: Connection,
    profile_ids: Iterable[str],
    kind: str,
    subject_id: str | None = None,
    **detail: Any,
) -> None:
    """Write the same notification for each of these people."""
    now = utcnow()
    rows = [
        {
            "id": new_id(),
            "profile_id": profile_id,
            "kind": kind,
            "subject_id": subject_id,
            "detail": json.dumps(detail, ensure_ascii=False, default=str),
            "created_at": now,
        }
        for profile_id in dict.fromkeys(profile_ids)
    ]
    if rows:
        connection.execute(notifications.insert(), rows)


def household_of(connection: Connection, dwelling_id: str) -> list[str]:
    """Return the ids of the people living in a dwelling now."""
    return list(
        connection.execute(
            select(profiles.c.id).where(
                profiles.c.dwelling_id == dwelling_id, profiles.c.left_at.is_(None)
            )
        ).scalars()
    )


def people_of(connection: Connection, building_ids: Iterable[str]) -> list[str]:
    """Return the ids of the people living in these buildings now."""
    return list(
        connection.execute(
            select(profiles.c.id)
            .join(dwellings, dwellings.c.id == profiles.c.dwelling_id)
            .where(dwellings.c.building_id.in_(list(building_ids)), profiles.c.left_at.is_(None))
        ).scalars()
    )


_UNREAD = (
    select(func.count())
    .select_from(notifications)
    .where(notifications.c.profile_id == bindparam("profile_id"), notifications.c.read_at.is_(None))
)


def unread_count(connection: Connection, profile_id: str) -> int:
    """Return how many notifications the person has not seen."""
    return connection.execute(_UNREAD, {"profile_id": profile_id}).scalar_one()


def recent(connection: Connection, profile_id: str, limit: int = 50) -> list[dict[str, Any]]:
    """Return the person's notifications, newest first."""
    rows = connection.execute(
        select(notifications)
        .where(notifications.c.profile_id == profile_id)
        .order_by(notifications.c.created_at.desc(), notifications.c.id)
        .limit(limit)
    ).mappings()
    return [{**row, "detail": json.loads(row["detail"])} for row in rows]


def mark_read(connection: Connection, profile_id: str, subject_id: str | None = None) -> None:
    """Mark the person's notifications as seen: all of them, or those about one thing
    (a report whose page they opened)."""
    unread = update(notifications).where(
        notifications.c.profile_id == profile_id, notifications.c.read_at.is_(None)
    )
    if subject_id is not None:
        unread = unread.where(notifications.c.subject_id == subject_id)
    connection.execute(unread.values(read_at=utcnow()))


def unread(connection: Connection, profile_id: str, limit: int) -> list[dict[str, Any]]:
    """Return the person's notifications not seen yet, newest first."""
    rows = connection.execute(
        select(notifications)
        .where(notifications.c.profile_id == profile_id, notifications.c.read_at.is_(None))
        .order_by(notifications.c.created_at.desc(), notifications.c.id)
        .limit(limit)
    ).mappings()
    return [{**row, "detail": json.loads(row["detail"])} for row in rows]
