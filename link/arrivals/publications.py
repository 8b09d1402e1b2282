"""What publishers wrote at the hub, arriving on a box: news, works notices, shops' deals
and partners' services. An item comes whole, again when it changes (the box replaces its
copy), and goes when the hub withdraws it from the box.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from core.domain import deals, estate, news, partners, photos, works
from core.messages.publications import (
    DealPublished,
    DealWithdrawn,
    NewsPublished,
    NewsWithdrawn,
    PartnerPublished,
    PartnerWithdrawn,
    Publisher,
    WorksAnnounced,
    WorksWithdrawn,
    versions_kept,
)
from link.envelope import Refused


def _publisher(connection: Connection, publisher: Publisher) -> str:
    return news.copy_publisher(connection, publisher.id, publisher.name, publisher.kind)


def _photo_arrived(connection: Connection, photo_id: str | None) -> str | None:
    if photo_id and not photos.has(connection, photo_id):
        raise Refused(f"photo {photo_id} has not arrived before what shows it")
    return photo_id


def news_published(connection: Connection, body: NewsPublished) -> None:
    item = body.news
    news.keep_copy(
        connection,
        item.id,
        {
            "publisher_id": _publisher(connection, body.publisher),
            "title": item.title,
            "body": item.body,
            "photo_id": _photo_arrived(connection, item.photo_id),
            "scope_kind": item.scope_kind,
            "scope_ref": item.scope_ref,
            "published_at": item.published_at,
            "expires_at": item.expires_at,
            "language": item.language,
            "versions": versions_kept(item.versions),
        },
    )


def news_withdrawn(connection: Connection, body: NewsWithdrawn) -> None:
    news.drop_copy(connection, body.news_id)


def works_announced(connection: Connection, body: WorksAnnounced) -> None:
    notice = body.notice
    works.keep_copy(
        connection,
        notice.id,
        {
            "publisher_id": _publisher(connection, body.publisher) if body.publisher else None,
            "scope_kind": notice.scope_kind,
            "scope_ref": notice.scope_ref,
            "title": notice.title,
            "location": notice.location,
            "photo_id": _photo_arrived(connection, notice.photo_id),
            "starts_on": notice.starts_on,
            "ends_on": notice.ends_on,
            "tenant_action": notice.tenant_action or "",
            "published_at": notice.published_at,
            "language": notice.language,
            "versions": versions_kept(notice.versions),
        },
    )


def works_withdrawn(connection: Connection, body: WorksWithdrawn) -> None:
    works.drop_copy(connection, body.notice_id)


def deal_published(connection: Connection, body: DealPublished) -> None:
    deal = body.deal
    # The box keeps the deal for the residences it serves; the others are not its own.
    here = estate.residences_among(connection, body.residence_ids)
    if not here:
        raise Refused("deal.published: no residence of this box")
    deals.keep_copy(
        connection,
        deal.id,
        {
            "publisher_id": _publisher(connection, body.publisher),
            "title": deal.title,
            "description": deal.description,
            "photo_id": _photo_arrived(connection, deal.photo_id),
            "valid_from": deal.valid_from,
            "valid_until": deal.valid_until,
            "language": deal.language,
            "versions": versions_kept(deal.versions),
        },
        here,
    )


def deal_withdrawn(connection: Connection, body: DealWithdrawn) -> None:
    deals.drop_copy(connection, body.deal_id)


def partner_published(connection: Connection, body: PartnerPublished) -> None:
    partner = body.partner
    if partner.category not in partners.CATEGORIES:
        raise Refused(f"category {partner.category!r} is unknown")
    partners.keep_copy(
        connection,
        partner.id,
        {
            "name": partner.name,
            "category": partner.category,
            "description": partner.description,
            "address": partner.address or "",
            "phone": partner.phone or "",
            "opening_hours": partner.opening_hours or "",
            "scope_kind": partner.scope_kind,
            "scope_ref": partner.scope_ref,
            "updated_at": partner.updated_at,
            "language": partner.language,
            "versions": versions_kept(partner.versions),
        },
    )


def partner_withdrawn(connection: Connection, body: PartnerWithdrawn) -> None:
    partners.drop_copy(connection, body.partner_id)


AT_BOX: dict[type, Callable[..., Any]] = {
    NewsPublished: news_published,
    NewsWithdrawn: news_withdrawn,
    WorksAnnounced: works_announced,
    WorksWithdrawn: works_withdrawn,
    DealPublished: deal_published,
    DealWithdrawn: deal_withdrawn,
    PartnerPublished: partner_published,
    PartnerWithdrawn: partner_withdrawn,
}
