"""What happened for the tenant: answers, messages, reports, works, events, decisions.

Listing does not mark them seen (a GET changes nothing here, unlike the page, which is
seen once shown): the client marks them read once it has shown them.
"""

from __future__ import annotations

from typing import Any

from flask import g
from pydantic import Field

from core.domain import notifications
from webui.api import blueprint
from webui.api.fields import Answer, Count, Id, Instant
from webui.api.spec import Response, spec
from webui.auth import tenant_required
from webui.database import db


class Notification(Answer):
    """Something that happened for the tenant."""

    id: Id
    kind: str = Field(json_schema_extra={"enum": list(notifications.KINDS)})
    subject_id: Id | None = Field(
        description="What it is about: the post (post_comment), conversation (message), "
        "report (report_status, report_reply), works notice, event (event_changed), flagged thing "
        "(moderation) or request for help (help_answered)."
    )
    detail: dict[str, Any] = Field(
        description="The words of its sentence: name and title (post_comment), name "
        "(message, help_answered), number and status (report_status), number (report_reply), "
        "title (works), "
        "title and change (event_changed: changed or cancelled), target_kind, decision, "
        "reason and days (moderation), days and after_days (inactive)."
    )
    read: bool
    created_at: Instant

    @classmethod
    def of(cls, found: dict[str, Any]) -> Notification:
        """What happened, what it is about, the words of its sentence."""
        return cls(
            id=found["id"],
            kind=found["kind"],
            subject_id=found["subject_id"],
            detail=found["detail"],
            read=found["read_at"] is not None,
            created_at=found["created_at"],
        )


class NotificationList(Answer):
    """The latest notifications, newest first, and how many are unread."""

    unread_count: Count
    notifications: list[Notification]


def _listing() -> NotificationList:
    profile_id = g.profile["id"]
    return NotificationList(
        unread_count=notifications.unread_count(db(), profile_id),
        notifications=[Notification.of(n) for n in notifications.recent(db(), profile_id)],
    )


@blueprint.get("/notifications")
@tenant_required
@spec.validate(resp=Response(HTTP_200=NotificationList), tags=["tenant"])
def notification_list():
    """My latest notifications, newest first, and how many I have not seen."""
    return _listing()


@blueprint.post("/notifications/read")
@tenant_required
@spec.validate(resp=Response(HTTP_200=NotificationList), tags=["tenant"])
def mark_notifications_read():
    """Mark all my notifications as seen."""
    notifications.mark_read(db(), g.profile["id"])
    return _listing()
