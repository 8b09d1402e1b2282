"""Local shops' deals: a shop publishes, at the hub, a deal for the residences it
targets, from a first to a last day; tenants of those residences see it on their box
while it lasts, and it disappears by itself after its last day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, select

from core.domain import copies, publishing, typed_text
from core.domain.clock import utcnow
from core.domain.errors import N_, DomainError, FieldChecks, NotFound
from core.messages import publications as link_messages
from core.storage.schema import deal_residences, deals, publishers

LONGEST_DAYS = 92


def _title(typed: str, field: str = "title") -> str:
    return typed_text.line(typed, field, 140, N_("Give the deal a title."))


def _description(typed: str, field: str = "description") -> str:
    return typed_text.text(typed, field, 3000, N_("Say what the deal is."))


def _checked(fields: dict[str, Any], before: dict[str, Any] | None) -> dict[str, Any]:
    checks = FieldChecks()
    row = {
        "title": checks.check(lambda: _title(fields["title"])),
        "description": checks.check(lambda: _description(fields["description"])),
        "valid_from": fields["valid_from"],
        "valid_until": fields["valid_until"],
        "photo_id": fields.get("photo_id"),
        "residence_ids": fields["residence_ids"],
        "updated_at": utcnow(),
    }
    checks.check(lambda: _days(row, before))
    if not row["residence_ids"]:
        checks.refuse(
            DomainError("residences_missing", N_("Choose at least one residence."), "residences")
        )
    checks.done()
    if before is None:
        row |= {"publisher_id": fields["publisher_id"], "created_at": row["updated_at"]}
    return row


def _days(row: dict[str, Any], before: dict[str, Any] | None) -> None:
    """Refuse a deal that ends before it starts, lasts too long or is already over."""
    if row["valid_until"] < row["valid_from"]:
        raise DomainError(
            "dates_order", N_("The end date must be on or after the start date."), "valid_until"
        )
    if (row["valid_until"] - row["valid_from"]).days > LONGEST_DAYS:
        raise DomainError("too_long", N_("A deal lasts three months at most."), "valid_until")
    if before is None and row["valid_until"] < utcnow().date():
        raise DomainError("deal_over", N_("This deal would already be over."), "valid_until")


PUBLICATION = publishing.Kind(
    name="deal",
    verbs=("deal.publish", "deal.change", "deal.withdraw"),
    table=deals,
    missing=("deal_not_found", N_("This deal does not exist.")),
    checked=_checked,
    reach=publishing.ResidencesReach(deal_residences, "deal_id", link_messages.deal_withdrawn),
    published=link_messages.deal_published,
    texts={"title": _title, "description": _description},
)


def publish(
    connection: Connection,
    publisher_id: str,
    title: str,
    description: str,
    valid_from: date,
    valid_until: date,
    residence_ids: list[str],
    photo_id: str | None = None,
    author_staff_id: str | None = None,
    language: str | None = None,
    versions: dict[str, dict[str, str]] | None = None,
) -> str:
    """Publish a shop's deal for these residences; return its id (audited)."""
    return publishing.publish(
        connection,
        PUBLICATION,
        {
            "publisher_id": publisher_id,
            "title": title,
            "description": description,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "residence_ids": residence_ids,
            "photo_id": photo_id,
            "language": language,
            "versions": versions,
        },
        author_staff_id,
    )


def keep_copy(
    connection: Connection, deal_id: str, fields: dict[str, Any], residence_ids: list[str]
) -> None:
    """Keep a deal the hub sent for these residences of this box, or replace it (a change
    made at the hub comes with the same id)."""
    now = utcnow()
    copies.keep(connection, deals, deal_id, {**fields, "created_at": now, "updated_at": now})
    PUBLICATION.reach.write(connection, deal_id, list(dict.fromkeys(residence_ids)))


def drop_copy(connection: Connection, deal_id: str) -> None:
    """Forget a deal the hub withdrew from this box (nothing if it is not here)."""
    _delete(connection, deal_id)


def _delete(connection: Connection, deal_id: str) -> None:
    connection.execute(delete(deal_residences).where(deal_residences.c.deal_id == deal_id))
    connection.execute(delete(deals).where(deals.c.id == deal_id))


def residences_of(connection: Connection, deal_id: str) -> list[str]:
    """Return the residences a deal targets."""
    return list(
        connection.execute(
            select(deal_residences.c.residence_id).where(deal_residences.c.deal_id == deal_id)
        ).scalars()
    )


def _with_shop():
    return select(
        deals,
        publishers.c.name.label("shop_name"),
        publishers.c.kind.label("shop_kind"),
    ).join(publishers)


def current(
    connection: Connection, residence_id: str, today: date | None = None
) -> list[dict[str, Any]]:
    """Return the deals of a residence valid today, ending soonest first."""
    today = today or utcnow().date()
    rows = connection.execute(
        _with_shop()
        .join(deal_residences, deal_residences.c.deal_id == deals.c.id)
        .where(
            deal_residences.c.residence_id == residence_id,
            deals.c.valid_from <= today,
            deals.c.valid_until >= today,
        )
        .order_by(deals.c.valid_until, deals.c.title)
    ).mappings()
    return [dict(row) for row in rows]


def of_shop(
    connection: Connection, publisher_id: str, today: date | None = None
) -> list[dict[str, Any]]:
    """Return a shop's deals that are on or to come, soonest ending first."""
    today = today or utcnow().date()
    rows = connection.execute(
        _with_shop()
        .where(deals.c.publisher_id == publisher_id, deals.c.valid_until >= today)
        .order_by(deals.c.valid_until, deals.c.title)
    ).mappings()
    return [{**row, "residence_ids": residences_of(connection, row["id"])} for row in rows]


def one_of_shop(connection: Connection, publisher_id: str, deal_id: str) -> dict[str, Any]:
    """Return one of the shop's deals; another's is as if it did not exist."""
    row = (
        connection.execute(
            _with_shop().where(deals.c.id == deal_id, deals.c.publisher_id == publisher_id)
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("deal_not_found", N_("This deal does not exist."))
    return {**row, "residence_ids": residences_of(connection, deal_id)}
