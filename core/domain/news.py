"""Local news from the neighbourhood, the district town hall, the city and the landlord.

Each item has a publisher and a scope: one building, a residence, a district or the
whole city. A tenant sees the items whose scope contains their building, until expiry.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, or_, select, update

from core.domain import copies, publishing, roles, scope, typed_text
from core.domain.clock import new_id, utcnow
from core.domain.errors import N_, DomainError, FieldChecks, NotFound
from core.messages import publications as link_messages
from core.storage.schema import news, publishers

PUBLISHER_KINDS = ("neighbourhood", "town_hall", "city", "landlord", "partner", "shop")
PUBLISHER_KIND_LABELS = {
    "neighbourhood": N_("Neighbourhood"),
    "town_hall": N_("Town hall"),
    "city": N_("City"),
    "landlord": N_("Landlord"),
    "partner": N_("Partner"),
    "shop": N_("Local shop"),
}


def add_publisher(connection: Connection, name: str, kind: str) -> str:
    """Create a publisher (a committee, a town hall, the city, the landlord…)."""
    if kind not in PUBLISHER_KINDS:
        raise DomainError("publisher_kind", N_("Choose one of the kinds shown."), "kind")
    publisher_id = new_id()
    connection.execute(publishers.insert().values(id=publisher_id, name=name.strip(), kind=kind))
    return publisher_id


def copy_publisher(connection: Connection, publisher_id: str, name: str, kind: str) -> str:
    """Keep a publisher the hub names, known here by its id or its name (with the hub's
    name and kind), or new; return its id here."""
    known = connection.execute(
        select(publishers.c.id).where(
            (publishers.c.id == publisher_id) | (publishers.c.name == name)
        )
    ).scalar()
    if known is not None:
        connection.execute(
            update(publishers).where(publishers.c.id == known).values(name=name, kind=kind)
        )
        return known
    connection.execute(publishers.insert().values(id=publisher_id, name=name, kind=kind))
    return publisher_id


def list_publishers(connection: Connection) -> list[dict[str, Any]]:
    """Return every publisher by name."""
    rows = connection.execute(select(publishers).order_by(publishers.c.name)).mappings()
    return [dict(row) for row in rows]


def publisher_for(connection: Connection, member: dict[str, Any]) -> dict[str, Any] | None:
    """Return the publisher this staff member writes as, or None when there is none.

    A landlord agent without a publisher of their own writes as the landlord, when the
    box knows exactly one: with several, which one they speak for cannot be guessed.
    """
    found = list_publishers(connection)
    if member.get("publisher_id"):
        return next((p for p in found if p["id"] == member["publisher_id"]), None)
    if member["role"] == roles.LANDLORD_AGENT:
        landlords = [p for p in found if p["kind"] == "landlord"]
        if len(landlords) == 1:
            return landlords[0]
    return None


def _title(typed: str, field: str = "title") -> str:
    return typed_text.line(typed, field, 140, N_("Give the news a title."))


def _body(typed: str, field: str = "body") -> str:
    body = typed_text.plain(typed, field)
    if not body:
        raise DomainError("body_missing", N_("Write the text of the news."), field)
    return body


def _checked(fields: dict[str, Any], before: dict[str, Any] | None) -> dict[str, Any]:
    published_at = before["published_at"] if before else fields.get("published_at") or utcnow()
    expires_at = fields.get("expires_at")
    checks = FieldChecks()
    row = {
        "title": checks.check(lambda: _title(fields["title"])),
        "body": checks.check(lambda: _body(fields["body"])),
        "scope_kind": fields["scope_kind"],
        "scope_ref": fields["scope_ref"],
        "expires_at": expires_at,
        "photo_id": fields.get("photo_id"),
    }
    checks.check(lambda: scope.check(row["scope_kind"], row["scope_ref"]))
    if expires_at is not None and expires_at <= published_at:
        checks.refuse(
            DomainError(
                "expiry_past", N_("The end date must be after the publication date."), "expires_at"
            )
        )
    checks.done()
    if before is None:
        row |= {
            "publisher_id": fields["publisher_id"],
            "published_at": published_at,
            "author_staff_id": fields.get("author_staff_id"),
        }
    return row


PUBLICATION = publishing.Kind(
    name="news",
    verbs=("news.publish", "news.edit", "news.withdraw"),
    table=news,
    missing=("news_not_found", N_("This news does not exist or has ended.")),
    checked=_checked,
    reach=publishing.ScopeReach(link_messages.news_withdrawn),
    published=link_messages.news_published,
    texts={"title": _title, "body": _body},
)


def publish(
    connection: Connection,
    publisher_id: str,
    title: str,
    body: str,
    scope_kind: str,
    scope_ref: str,
    expires_at: datetime | None = None,
    photo_id: str | None = None,
    author_staff_id: str | None = None,
    published_at: datetime | None = None,
    language: str | None = None,
    versions: dict[str, dict[str, str]] | None = None,
) -> str:
    """Publish a news item and return its id (audited when staff do it)."""
    return publishing.publish(
        connection,
        PUBLICATION,
        {
            "publisher_id": publisher_id,
            "title": title,
            "body": body,
            "scope_kind": scope_kind,
            "scope_ref": scope_ref,
            "expires_at": expires_at,
            "photo_id": photo_id,
            "author_staff_id": author_staff_id,
            "published_at": published_at,
            "language": language,
            "versions": versions,
        },
        author_staff_id,
    )


def keep_copy(connection: Connection, news_id: str, fields: dict[str, Any]) -> None:
    """Keep a news item the hub sent, or replace it: a change made at the hub comes with
    the same id."""
    copies.keep(connection, news, news_id, fields)


def drop_copy(connection: Connection, news_id: str) -> None:
    """Forget a news item the hub withdrew from this box (nothing if it is not here)."""
    connection.execute(delete(news).where(news.c.id == news_id))


def _in_scope(building: dict[str, Any]):
    return scope.covers(news.c.scope_kind, news.c.scope_ref, building)


def _visible(now: datetime):
    return and_(
        news.c.published_at <= now, or_(news.c.expires_at.is_(None), news.c.expires_at > now)
    )


def for_building(
    connection: Connection, building: dict[str, Any], limit: int = 20, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Return the current news for a building, newest first, with their publisher."""
    now = now or utcnow()
    rows = connection.execute(
        select(
            news,
            publishers.c.name.label("publisher_name"),
            publishers.c.kind.label("publisher_kind"),
        )
        .join(publishers)
        .where(_in_scope(building), _visible(now))
        .order_by(news.c.published_at.desc())
        .limit(limit)
    ).mappings()
    return [dict(row) for row in rows]


def get_for_building(
    connection: Connection, building: dict[str, Any], news_id: str, now: datetime | None = None
) -> dict[str, Any]:
    """Return one current news item if it is meant for this building."""
    row = (
        connection.execute(
            select(
                news,
                publishers.c.name.label("publisher_name"),
                publishers.c.kind.label("publisher_kind"),
            )
            .join(publishers)
            .where(news.c.id == news_id, _in_scope(building), _visible(now or utcnow()))
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("news_not_found", N_("This news does not exist or has ended."))
    return dict(row)
