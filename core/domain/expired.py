"""News, works notices and shops' deals past their end, forgotten by the box that showed
them.

Tenants stop seeing an item the moment it ends, by the box's own clock, link or no
link. What has ended is then of no use to anyone on the box: forgetting it, with its
picture, keeps the SD card from filling with years of old notices. The hub keeps its
own copy.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, select

from core.domain import photos
from core.domain.clock import utcnow
from core.storage.schema import deal_residences, deals, news, works_notices


def forget(connection: Connection, now: datetime | None = None) -> int:
    """Delete the news, works notices and deals that have ended, and their pictures; return
    how many items went."""
    now = now or utcnow()
    gone = connection.execute(
        delete(news).where(news.c.expires_at.is_not(None), news.c.expires_at <= now)
    ).rowcount
    gone += connection.execute(
        delete(works_notices).where(works_notices.c.ends_on < now.date())
    ).rowcount
    ended_deals = select(deals.c.id).where(deals.c.valid_until < now.date())
    connection.execute(delete(deal_residences).where(deal_residences.c.deal_id.in_(ended_deals)))
    gone += connection.execute(delete(deals).where(deals.c.valid_until < now.date())).rowcount
    photos.forget_unused(connection, older_than=now - photos.DRAFTS_KEPT)
    return gone
