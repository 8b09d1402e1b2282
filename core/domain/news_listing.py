"""A publisher's own news: what it has out now or soon, to change it or take it down.

Tenants read news through ``news.for_building``; this is the publisher's side, with the
name of the place each item is shown in (a building, a residence, a district, a city).
A staff member reaches only the items shown in one of their buildings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from core.domain import scope
from core.domain.clock import utcnow
from core.domain.errors import N_, NotFound
from core.storage.schema import news, publishers


def _with_publisher():
    return select(
        news,
        publishers.c.name.label("publisher_name"),
        publishers.c.kind.label("publisher_kind"),
    ).join(publishers)


def _mine(publisher_id: str, buildings: list[dict[str, Any]]):
    return and_(
        news.c.publisher_id == publisher_id,
        scope.reaches_any(news.c.scope_kind, news.c.scope_ref, buildings),
    )


def of_publisher(
    connection: Connection,
    publisher_id: str,
    buildings: list[dict[str, Any]],
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """Return the publisher's items reaching one of ``buildings``, shown now or to be shown
    later, newest first."""
    now = now or utcnow()
    rows = connection.execute(
        _with_publisher()
        .where(
            _mine(publisher_id, buildings),
            or_(news.c.expires_at.is_(None), news.c.expires_at > now),
        )
        .order_by(news.c.published_at.desc(), news.c.title)
    ).mappings()
    return scope.named(connection, [dict(row) for row in rows])


def one_of_publisher(
    connection: Connection, publisher_id: str, buildings: list[dict[str, Any]], news_id: str
) -> dict[str, Any]:
    """Return one of the publisher's items reaching one of ``buildings``, ended or not; any
    other is as if it did not exist."""
    row = (
        connection.execute(
            _with_publisher().where(news.c.id == news_id, _mine(publisher_id, buildings))
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("news_not_found", N_("This news does not exist or has ended."))
    return scope.named(connection, [dict(row)])[0]
