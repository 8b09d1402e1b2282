"""The hub's fleet: the boxes it serves, and how each was last heard of.

A box is enrolled with the buildings it serves. The broker tells the hub when a box
comes online or drops (its retained status and last will); the box itself sends
telemetry every minute. A box marked online that has not been heard of for a while is
"stale": its connection is probably dead and the broker has not noticed yet.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, Update, bindparam, case, delete, select, update

from core.domain import side
from core.domain.clock import utcnow
from core.domain.errors import N_, DomainError, NotFound
from core.storage.schema import box_buildings, box_certificates, boxes, buildings, origins

# Telemetry comes every minute: three missed in a row is no longer a hiccup.
STALE_AFTER = timedelta(minutes=3)


def enrol(connection: Connection, box_id: str, label: str, building_ids: list[str]) -> None:
    """Add a box serving these buildings, and start numbering the messages it exchanges.

    A building has one box: one already served is refused with the box that serves it.
    """
    served = connection.execute(
        select(buildings.c.name, box_buildings.c.box_id)
        .join(buildings, buildings.c.id == box_buildings.c.building_id)
        .where(box_buildings.c.building_id.in_(building_ids))
    ).first()
    if served is not None:
        raise DomainError(
            "building_served",
            N_("%(building)s is already served by box %(box)s."),
            "buildings",
            building=served.name,
            box=served.box_id,
        )
    connection.execute(boxes.insert().values(id=box_id, label=label, enrolled_at=utcnow()))
    for building_id in building_ids:
        connection.execute(box_buildings.insert().values(box_id=box_id, building_id=building_id))
    side.add_peer(connection, box_id)


def retire(connection: Connection, box_id: str) -> list[str]:
    """Take a box out of the fleet (broken, replaced); return the buildings it served.

    What the hub holds of those buildings stays: a box enrolled for them next gets their
    news, works and noticeboard back. What was waiting for the retired box is dropped.
    """
    building_ids = buildings_of(connection, box_id)
    if not building_ids and not side.is_peer(connection, box_id):
        raise DomainError("box_unknown", N_("There is no box %(box)s."), box=box_id)
    connection.execute(delete(box_buildings).where(box_buildings.c.box_id == box_id))
    side.forget_peer(connection, box_id)
    connection.execute(delete(origins).where(origins.c.box_id == box_id))
    # Its public name is free again, for the box that replaces it.
    connection.execute(delete(box_certificates).where(box_certificates.c.box_id == box_id))
    connection.execute(delete(boxes).where(boxes.c.id == box_id))
    return building_ids


def _latest_seen(at):
    # Messages of one box may be applied out of order by several ingest processes: the
    # last time seen only ever moves forward.
    return case(
        (boxes.c.last_seen_at.is_(None) | (boxes.c.last_seen_at < at), at),
        else_=boxes.c.last_seen_at,
    )


def status_change(online: bool, version: str | None, at: datetime) -> dict[str, Any]:
    """Return what a box coming online (with its version) or going offline changes.

    Going offline is said by the broker (the box's last will), not by the box: it does
    not count as seeing the box. Two ingest processes may apply a box's statuses out of
    order; whatever the box sends next (telemetry every minute, any message) marks it
    online again, so a box wrongly marked offline is put right within a minute.
    """
    change: dict[str, Any] = {"online": online}
    if online:
        change["last_seen_at"] = at
    if version is not None:
        change["version"] = version
    return change


def telemetry_change(
    at: datetime,
    version: str | None,
    uptime_s: int | None,
    disk_free_bytes: int | None,
    outbox_depth: int | None,
    last_sync_at: datetime | None,
) -> dict[str, Any]:
    """Return what a box's telemetry of every minute changes.

    A figure left out (None) is unknown now, except the version, which the box's status
    may have given.
    """
    change: dict[str, Any] = {
        "online": True,
        "last_seen_at": at,
        "uptime_s": uptime_s,
        "disk_free_bytes": disk_free_bytes,
        "outbox_depth": outbox_depth,
        "last_sync_at": last_sync_at,
    }
    if version is not None:
        change["version"] = version
    return change


def seen_change(at: datetime) -> dict[str, Any]:
    """Return what hearing from a box (any message) changes."""
    return {"online": True, "last_seen_at": at}


def record(connection: Connection, box_id: str, change: dict[str, Any]) -> bool:
    """Record a change of one box (``last_seen_at`` only moves forward); False if unknown."""
    values = {
        column: _latest_seen(value) if column == "last_seen_at" else value
        for column, value in change.items()
    }
    changed = connection.execute(update(boxes).where(boxes.c.id == box_id).values(values))
    return changed.rowcount == 1


@cache
def _update_of(columns: tuple[str, ...]) -> Update:
    values: dict[str, Any] = {
        column: bindparam(f"new_{column}", type_=boxes.c[column].type) for column in columns
    }
    if "last_seen_at" in values:
        values["last_seen_at"] = _latest_seen(values["last_seen_at"])
    return update(boxes).where(boxes.c.id == bindparam("box")).values(values)


def record_many(connection: Connection, changes: dict[str, dict[str, Any]]) -> None:
    """Record the changes of many boxes (box id → change), one statement per shape."""
    shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for box_id, change in sorted(changes.items()):
        columns = tuple(sorted(change))
        row = {f"new_{column}": value for column, value in change.items()}
        shapes.setdefault(columns, []).append({"box": box_id, **row})
    for columns, rows in shapes.items():
        connection.execute(_update_of(columns), rows)


def record_status(
    connection: Connection, box_id: str, online: bool, version: str | None, at: datetime
) -> bool:
    """Record that a box came online or went offline (see status_change); False if unknown."""
    return record(connection, box_id, status_change(online, version, at))


def record_seen(connection: Connection, box_id: str, at: datetime) -> bool:
    """Record that a box was heard from (any message); False if the box is unknown."""
    return record(connection, box_id, seen_change(at))


def origin(connection: Connection, key: str, box_id: str) -> str:
    """Return which box first sent what ``key`` names (an answer, a thanks, a reply),
    recording ``box_id`` when none did: no box changes what another sent."""
    said_by = connection.execute(select(origins.c.box_id).where(origins.c.key == key)).scalar()
    if said_by is None:
        connection.execute(origins.insert().values(key=key, box_id=box_id))
        return box_id
    return said_by


def buildings_of(connection: Connection, box_id: str) -> list[str]:
    """Return the ids of the buildings a box serves."""
    return list(
        connection.execute(
            select(box_buildings.c.building_id)
            .where(box_buildings.c.box_id == box_id)
            .order_by(box_buildings.c.building_id)
        ).scalars()
    )


def is_stale(box: dict[str, Any], now: datetime) -> bool:
    """Tell whether a box said to be online has been silent for too long."""
    return bool(box["online"]) and (
        box["last_seen_at"] is None or now - box["last_seen_at"] > STALE_AFTER
    )


def _described(
    connection: Connection, now: datetime, box_id: str | None = None
) -> list[dict[str, Any]]:
    chosen = select(box_buildings.c.box_id, buildings.c.id, buildings.c.name).join(
        buildings, buildings.c.id == box_buildings.c.building_id
    )
    enrolled = select(boxes)
    if box_id is not None:
        chosen = chosen.where(box_buildings.c.box_id == box_id)
        enrolled = enrolled.where(boxes.c.id == box_id)
    served: dict[str, list[dict[str, str]]] = {}
    for serving, building_id, name in connection.execute(chosen.order_by(buildings.c.name)):
        served.setdefault(serving, []).append({"id": building_id, "name": name})
    found = []
    for row in connection.execute(enrolled).mappings():
        box = dict(row)
        box["online"] = bool(box["online"])
        box["buildings"] = served.get(box["id"], [])
        box["stale"] = is_stale(box, now)
        found.append(box)
    return found


def list_fleet(connection: Connection, now: datetime) -> list[dict[str, Any]]:
    """Return every box with its buildings (id, name): offline first, then stale, then by label."""
    return sorted(
        _described(connection, now),
        key=lambda b: (b["online"], not b["stale"], b["label"], b["id"]),
    )


def one_box(connection: Connection, box_id: str, now: datetime) -> dict[str, Any]:
    """Return one box as the fleet lists it, or raise NotFound."""
    found = _described(connection, now, box_id)
    if not found:
        raise NotFound("box_unknown", N_("There is no box %(box)s."), box=box_id)
    return found[0]
