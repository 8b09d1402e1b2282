"""What happened for me: answers, messages, my reports, works, the caretaker's decisions.

The count of what I have not seen is on every page; opening the list marks it all seen.
"""

from __future__ import annotations

from functools import partial

from flask import Flask, g, render_template

from core.domain import notifications
from webui.auth import tenant_required
from webui.bookkeeping import note_later
from webui.database import db
from webui.portal import blueprint


@blueprint.get("/notifications")
@tenant_required
def notification_list():
    """My notifications, newest first; they are seen once shown."""
    shown = notifications.recent(db(), g.profile["id"])
    note_later(partial(notifications.mark_read, profile_id=g.profile["id"]))
    return render_template("portal/notifications.html", notifications=shown)


def unread() -> int:
    """Return how many notifications the signed-in tenant has not seen (0 for others)."""
    profile = g.get("profile")
    if profile is None:
        return 0
    if "unread_notifications" not in g:
        g.unread_notifications = notifications.unread_count(db(), profile["id"])
    return g.unread_notifications


def init_app(app: Flask) -> None:
    """Let every page show the unread count."""
    app.jinja_env.globals["unread_notifications"] = unread
