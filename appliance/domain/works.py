"""Works notices from the landlord: what, where, from when to when, what tenants must do."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, select

from appliance.domain import audit, travel
from appliance.domain.clock import new_id, utcnow
from appliance.domain.errors import N_, DomainError, NotFound
from appliance.storage.schema import buildings, works_notices


def announce(
    connection: Connection,
    building_id: str,
    title: str,
    location: str,
    starts_on: date,
    ends_on: date,
    tenant_action: str = "",
    author_staff_id: str | None = None,
) -> str:
    """Announce works in a building and return the notice's id (audited when staff do it)."""
    title = " ".join((title or "").split())
    location = " ".join((location or "").split())
    if not title:
        raise DomainError("title_missing", N_("Say what the works are."), "title")
    if not location:
        raise DomainError("location_missing", N_("Say where the works take place."), "location")
    if ends_on < starts_on:
        raise DomainError(
            "dates_order", N_("The end date must be on or after the start date."), "ends_on"
        )
    notice_id = new_id()
    connection.execute(
        works_notices.insert().values(
            id=notice_id,
            building_id=building_id,
            title=title[:140],
            location=location[:140],
            starts_on=starts_on,
            ends_on=ends_on,
            tenant_action=(tenant_action or "").strip(),
            published_at=utcnow(),
            author_staff_id=author_staff_id,
        )
    )
    if author_staff_id is not None:
        building = connection.execute(
            select(buildings.c.name).where(buildings.c.id == building_id)
        ).scalar_one()
        audit.record(
            connection,
            author_staff_id,
            "works.announce",
            f"works:{notice_id}",
            building=building,
            title=title[:140],
        )
    travel.works_announced(connection, notice_id)
    return notice_id


def withdraw(connection: Connection, notice_id: str, actor_staff_id: str) -> None:
    """Take a works notice down, on the hub and on its building's box (audited)."""
    notice = connection.execute(
        select(works_notices.c.title, works_notices.c.building_id).where(
            works_notices.c.id == notice_id
        )
    ).first()
    if notice is None:
        raise NotFound("works_not_found", N_("This works notice does not exist."))
    travel.works_withdrawn(connection, notice_id, notice.building_id)
    connection.execute(delete(works_notices).where(works_notices.c.id == notice_id))
    audit.record(
        connection, actor_staff_id, "works.withdraw", f"works:{notice_id}", title=notice.title
    )


def current_for_building(
    connection: Connection, building_id: str, today: date | None = None
) -> list[dict[str, Any]]:
    """Return the works that are under way or still to come, soonest first."""
    today = today or utcnow().date()
    rows = connection.execute(
        select(works_notices)
        .where(works_notices.c.building_id == building_id, works_notices.c.ends_on >= today)
        .order_by(works_notices.c.starts_on, works_notices.c.title)
    ).mappings()
    return [dict(row) for row in rows]
