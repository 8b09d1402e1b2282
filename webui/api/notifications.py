"""What happened for the tenant: answers, messages, reports, works, events, decisions.

Listing does not mark them seen (a GET changes nothing here, unlike the page, which is
seen once shown): the client marks them read once it has shown them.
"""

from __future__ import annotations

from flask import g, jsonify

from appliance.domain import notifications
from webui.api import blueprint, serialise
from webui.auth import tenant_required
from webui.database import db


def _listing():
    profile_id = g.profile["id"]
    return jsonify(
        unread_count=notifications.unread_count(db(), profile_id),
        notifications=[serialise.notification(n) for n in notifications.recent(db(), profile_id)],
    )


@blueprint.get("/notifications")
@tenant_required
def notification_list():
    """My latest notifications, newest first, and how many I have not seen."""
    return _listing()


@blueprint.post("/notifications/read")
@tenant_required
def mark_notifications_read():
    """Mark all my notifications as seen."""
    notifications.mark_read(db(), g.profile["id"])
    return _listing()
