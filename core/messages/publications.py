"""What publishers write at the hub for the boxes in scope: news, works notices, shops'
deals and partners' services, each sent again when it changes (same id, its picture
first) and withdrawn from the boxes it no longer reaches (docs/PROTOCOL.md, "Routing news
and works").
"""

from __future__ import annotations

from typing import Any

from pydantic import Field
from sqlalchemy import Connection, select

from core.domain import scope, text_versions
from core.messages.fields import Choice, Day, Id, Ids, Moment, Text
from core.messages.outgoing import Body, Part, to_boxes_of
from core.messages.photos import photo_added
from core.storage.schema import (
    box_buildings,
    buildings,
    deal_residences,
    deals,
    news,
    partners,
    publishers,
    works_notices,
)

ScopeKind = Choice("scope", scope.SCOPES)
# The language an item was written in; an item from before languages is in French.
Language = Choice("language", text_versions.LANGUAGES)


def versions_kept(versions: dict[str, Part]) -> dict[str, dict[str, str]]:
    """Return an item's versions as the tables keep them: ``{language: {field: text}}``."""
    return {
        language: {field: text for field, text in version.model_dump().items() if text}
        for language, version in versions.items()
    }


class Publisher(Part):
    """Who wrote it: matched by id or by name on the box, created there if new."""

    id: Id
    name: Text(120)
    kind: Text(20)


class NewsVersion(Part):
    title: Text(140)
    body: Text(20000)


class NewsItem(Part):
    id: Id
    title: Text(140)
    body: Text(20000)
    photo_id: Id | None = None
    scope_kind: ScopeKind
    scope_ref: Text(120)
    published_at: Moment
    expires_at: Moment | None = None
    language: Language = text_versions.FIRST_LANGUAGE
    versions: dict[Language, NewsVersion] = Field(default_factory=dict)


class NewsPublished(Body):
    KIND = "news.published"
    news: NewsItem
    publisher: Publisher


class NewsWithdrawn(Body):
    KIND = "news.withdrawn"
    news_id: Id


class WorksVersion(Part):
    title: Text(140)
    location: Text(140)
    tenant_action: Text(5000) | None = None


class WorksNotice(Part):
    id: Id
    scope_kind: ScopeKind
    scope_ref: Text(120)
    title: Text(140)
    location: Text(140)
    photo_id: Id | None = None
    starts_on: Day
    ends_on: Day
    # What tenants must do; none is said as empty.
    tenant_action: Text(5000) | None = None
    published_at: Moment
    language: Language = text_versions.FIRST_LANGUAGE
    versions: dict[Language, WorksVersion] = Field(default_factory=dict)


class WorksAnnounced(Body):
    KIND = "works.announced"
    notice: WorksNotice
    # None for a notice from before publishers signed works.
    publisher: Publisher | None = None


class WorksWithdrawn(Body):
    KIND = "works.withdrawn"
    notice_id: Id


class DealVersion(Part):
    title: Text(140)
    description: Text(3000)


class Deal(Part):
    id: Id
    title: Text(140)
    description: Text(3000)
    photo_id: Id | None = None
    valid_from: Day
    valid_until: Day
    language: Language = text_versions.FIRST_LANGUAGE
    versions: dict[Language, DealVersion] = Field(default_factory=dict)


class DealPublished(Body):
    KIND = "deal.published"
    deal: Deal
    residence_ids: Ids()
    publisher: Publisher


class DealWithdrawn(Body):
    KIND = "deal.withdrawn"
    deal_id: Id


class PartnerVersion(Part):
    description: Text(3000)
    opening_hours: Text(1000) | None = None


class Partner(Part):
    id: Id
    name: Text(140)
    category: Text(30)
    description: Text(3000)
    address: Text(200) | None = None
    phone: Text(40) | None = None
    opening_hours: Text(1000) | None = None
    scope_kind: ScopeKind
    scope_ref: Text(120)
    updated_at: Moment
    language: Language = text_versions.FIRST_LANGUAGE
    versions: dict[Language, PartnerVersion] = Field(default_factory=dict)


class PartnerPublished(Body):
    KIND = "partner.published"
    partner: Partner


class PartnerWithdrawn(Body):
    KIND = "partner.withdrawn"
    partner_id: Id


def _publisher(connection: Connection, publisher_id: str | None) -> Publisher | None:
    if publisher_id is None:
        return None
    row = connection.execute(
        select(publishers.c.id, publishers.c.name, publishers.c.kind).where(
            publishers.c.id == publisher_id
        )
    )
    return Publisher(**row.mappings().one())


def _fields(part: type[Part], row: Any) -> dict[str, Any]:
    return {name: row[name] for name in part.model_fields}


def _to(
    connection: Connection,
    targets: list[str],
    body: Body,
    item_id: str,
    photo_id: str | None,
    only: str | None,
) -> None:
    """Send an item, its picture first, to the boxes of these buildings."""
    if photo_id:
        to_boxes_of(connection, targets, photo_added(connection, photo_id), item_id, only=only)
    to_boxes_of(connection, targets, body, item_id, only=only)


def _withdrawn_from_scope(
    connection: Connection,
    body: Body,
    item_id: str,
    scope_kind: str,
    scope_ref: str,
    keep: tuple[str, str] | None,
) -> None:
    """Tell the boxes of a scope to take an item down, but those within scope ``keep``."""
    kept: set[str] = set()
    if keep is not None:
        kept = set(
            connection.execute(
                select(box_buildings.c.box_id).where(
                    box_buildings.c.building_id.in_(scope.buildings_in(connection, *keep))
                )
            ).scalars()
        )
    targets = scope.buildings_in(connection, scope_kind, scope_ref)
    to_boxes_of(connection, targets, body, item_id, skip=kept)


def news_published(connection: Connection, news_id: str, only: str | None = None) -> None:
    """Send a news item to the boxes of its scope (``only``: to a box just enrolled)."""
    item = connection.execute(select(news).where(news.c.id == news_id)).mappings().one()
    body = NewsPublished(
        news=NewsItem(**_fields(NewsItem, item)),
        publisher=_publisher(connection, item["publisher_id"]),
    )
    targets = scope.buildings_in(connection, item["scope_kind"], item["scope_ref"])
    _to(connection, targets, body, news_id, item["photo_id"], only)


def news_withdrawn(
    connection: Connection,
    news_id: str,
    scope_kind: str,
    scope_ref: str,
    keep: tuple[str, str] | None = None,
) -> None:
    """Tell the boxes in the item's scope to take it down, but those within scope ``keep``."""
    body = NewsWithdrawn(news_id=news_id)
    _withdrawn_from_scope(connection, body, news_id, scope_kind, scope_ref, keep)


def works_announced(connection: Connection, notice_id: str, only: str | None = None) -> None:
    """Send a works notice to the boxes of its scope (``only``: to a box just enrolled)."""
    notice = (
        connection.execute(select(works_notices).where(works_notices.c.id == notice_id))
        .mappings()
        .one()
    )
    body = WorksAnnounced(
        notice=WorksNotice(**_fields(WorksNotice, notice)),
        publisher=_publisher(connection, notice["publisher_id"]),
    )
    targets = scope.buildings_in(connection, notice["scope_kind"], notice["scope_ref"])
    _to(connection, targets, body, notice_id, notice["photo_id"], only)


def works_withdrawn(
    connection: Connection,
    notice_id: str,
    scope_kind: str,
    scope_ref: str,
    keep: tuple[str, str] | None = None,
) -> None:
    """Tell the boxes in the notice's scope to take it down, but those within scope ``keep``."""
    body = WorksWithdrawn(notice_id=notice_id)
    _withdrawn_from_scope(connection, body, notice_id, scope_kind, scope_ref, keep)


def _buildings_of_residences(connection: Connection, residence_ids: list[str]) -> list[str]:
    return list(
        connection.execute(
            select(buildings.c.id).where(buildings.c.residence_id.in_(residence_ids))
        ).scalars()
    )


def deal_published(connection: Connection, deal_id: str, only: str | None = None) -> None:
    """Send a shop's deal to the boxes of the residences it targets (``only``: one box)."""
    deal = connection.execute(select(deals).where(deals.c.id == deal_id)).mappings().one()
    residence_ids = list(
        connection.execute(
            select(deal_residences.c.residence_id).where(deal_residences.c.deal_id == deal_id)
        ).scalars()
    )
    body = DealPublished(
        deal=Deal(**_fields(Deal, deal)),
        residence_ids=residence_ids,
        publisher=_publisher(connection, deal["publisher_id"]),
    )
    targets = _buildings_of_residences(connection, residence_ids)
    _to(connection, targets, body, deal_id, deal["photo_id"], only)


def deal_withdrawn(connection: Connection, deal_id: str, residence_ids: list[str]) -> None:
    """Tell the boxes of these residences to take a deal down."""
    targets = _buildings_of_residences(connection, residence_ids)
    to_boxes_of(connection, targets, DealWithdrawn(deal_id=deal_id), deal_id)


def partner_published(connection: Connection, partner_id: str, only: str | None = None) -> None:
    """Send a partner's service to the boxes of its scope (``only``: one box)."""
    partner = (
        connection.execute(select(partners).where(partners.c.id == partner_id)).mappings().one()
    )
    body = PartnerPublished(partner=Partner(**_fields(Partner, partner)))
    targets = scope.buildings_in(connection, partner["scope_kind"], partner["scope_ref"])
    to_boxes_of(connection, targets, body, partner_id, only=only)


def partner_withdrawn(
    connection: Connection,
    partner_id: str,
    scope_kind: str,
    scope_ref: str,
    keep: tuple[str, str] | None = None,
) -> None:
    """Tell the boxes in the service's scope to take it down, but those within ``keep``."""
    body = PartnerWithdrawn(partner_id=partner_id)
    _withdrawn_from_scope(connection, body, partner_id, scope_kind, scope_ref, keep)
