"""A publisher's own news: what it has out now or soon, to change it or take it down.

Tenants read news through ``news.for_building``; this is the publisher's side, with the
name of the place each item is shown in (a building, a residence, a district, a city).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, or_, select

from appliance.domain.clock import utcnow
from appliance.domain.errors import N_, NotFound
from appliance.storage.schema import buildings, news, publishers, residences


def _with_publisher():
    return select(
        news,
        publishers.c.name.label("publisher_name"),
        publishers.c.kind.label("publisher_kind"),
    ).join(publishers)


def _named(connection: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add ``scope_name``: districts and cities are named by their reference, the rest by id."""
    wanted = {
        kind: {r["scope_ref"] for r in rows if r["scope_kind"] == kind}
        for kind in ("building", "residence")
    }
    names = {
        ("building", row.id): row.name
        for row in connection.execute(
            select(buildings.c.id, buildings.c.name).where(buildings.c.id.in_(wanted["building"]))
        )
    } | {
        ("residence", row.id): row.name
        for row in connection.execute(
            select(residences.c.id, residences.c.name).where(
                residences.c.id.in_(wanted["residence"])
            )
        )
    }
    return [
        {**row, "scope_name": names.get((row["scope_kind"], row["scope_ref"]), row["scope_ref"])}
        for row in rows
    ]


def of_publisher(
    connection: Connection, publisher_id: str, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Return the publisher's items shown now or to be shown later, newest first."""
    now = now or utcnow()
    rows = connection.execute(
        _with_publisher()
        .where(
            news.c.publisher_id == publisher_id,
            or_(news.c.expires_at.is_(None), news.c.expires_at > now),
        )
        .order_by(news.c.published_at.desc(), news.c.title)
    ).mappings()
    return _named(connection, [dict(row) for row in rows])


def one_of_publisher(connection: Connection, publisher_id: str, news_id: str) -> dict[str, Any]:
    """Return one of the publisher's items, ended or not; another's is as if it did not exist."""
    row = (
        connection.execute(
            _with_publisher().where(news.c.id == news_id, news.c.publisher_id == publisher_id)
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("news_not_found", N_("This news does not exist or has ended."))
    return _named(connection, [dict(row)])[0]
