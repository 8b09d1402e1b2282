"""News and works notices past their end, forgotten by the box that showed them.

Tenants stop seeing an item the moment it ends, by the box's own clock, link or no
link. What has ended is then of no use to anyone on the box: forgetting it, with its
picture, keeps the SD card from filling with years of old notices. The hub keeps its
own copy.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete

from appliance.domain import photos
from appliance.domain.clock import utcnow
from appliance.storage.schema import news, works_notices


def forget(connection: Connection, now: datetime | None = None) -> int:
    """Delete the news and works notices that have ended, and their pictures; return how
    many items went."""
    now = now or utcnow()
    gone = connection.execute(
        delete(news).where(news.c.expires_at.is_not(None), news.c.expires_at <= now)
    ).rowcount
    gone += connection.execute(
        delete(works_notices).where(works_notices.c.ends_on < now.date())
    ).rowcount
    photos.forget_unused(connection, older_than=now - photos.DRAFTS_KEPT)
    return gone
