"""What the hub does with each message a box sends (docs/PROTOCOL.md, box → hub).

Each function applies one message inside the caller's transaction, or raises Refused
when the message cannot be applied; the caller keeps it aside and moves on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, select, update

from core.domain import fleet, travel
from core.domain import report_status as rs
from core.domain import reports as report_rules
from core.domain.clock import new_id
from core.domain.errors import DomainError
from core.storage.schema import (
    box_buildings,
    buildings,
    dwellings,
    events,
    origins,
    photos,
    posts,
    report_events,
    report_messages,
    report_photos,
    report_supporters,
    reports,
)
from sync import board_arrival, event_arrival, photo_arrival, values
from sync.envelope import Refused


def fleet_change(channel: str, body: dict[str, Any], at: datetime) -> dict[str, Any]:
    """Return what a message on a box's channel tells of the box (for ``fleet.record``)."""
    if channel == "status":
        version = values.text(body, "version", 40, optional=True)
        return fleet.status_change(body.get("online") is True, version, at)
    if channel == "telemetry":
        return fleet.telemetry_change(
            at,
            version=values.text(body, "version", 40),
            uptime_s=values.integer(body, "uptime_s", values.BIG_INTEGER),
            disk_free_bytes=values.integer(body, "disk_free_bytes", values.BIG_INTEGER),
            outbox_depth=values.integer(body, "outbox_depth", (0, values.INTEGER[1])),
            last_sync_at=values.moment(body, "last_sync_at", optional=True),
        )
    return fleet.seen_change(at)


def _building_of_box(connection: Connection, box_id: str, building_id: str) -> None:
    served = connection.execute(
        select(box_buildings.c.box_id).where(box_buildings.c.building_id == building_id)
    ).scalar()
    if served != box_id:
        raise Refused(f"building {building_id} is not served by box {box_id}")


def dwelling_row(body: dict[str, Any], created_at: datetime) -> dict[str, Any]:
    """Return the dwelling a message names, as a row of the hub's ``dwellings``."""
    dwelling = values.obj(body, "dwelling")
    return {
        "id": values.text(dwelling, "id", 32),
        "building_id": values.text(dwelling, "building_id", 32),
        "reference": values.text(dwelling, "reference", 40),
        "staircase": values.text(dwelling, "staircase", 20),
        "floor": values.integer(dwelling, "floor"),
        "created_at": created_at,
    }


def _keep_dwelling(connection: Connection, box_id: str, dwelling: dict[str, Any]) -> str:
    _building_of_box(connection, box_id, dwelling["building_id"])
    known = connection.execute(
        select(dwellings.c.building_id).where(dwellings.c.id == dwelling["id"])
    ).scalar()
    if known is None:
        connection.execute(dwellings.insert().values(dwelling))
    elif known != dwelling["building_id"]:
        raise Refused(f"dwelling {dwelling['id']} belongs to another building")
    return dwelling["id"]


def photo_added(connection: Connection, _box_id: str, body: dict[str, Any]) -> None:
    photo_arrival.keep(connection, body)


@dataclass(frozen=True)
class FiledReport:
    """A ``report.filed`` message read and checked, before anything is written."""

    report: dict[str, Any]
    dwelling: dict[str, Any]
    photo_ids: list[str]
    event: dict[str, Any]


def read_filed(body: dict[str, Any]) -> FiledReport:
    """Read a ``report.filed`` body into the rows it adds, or raise Refused."""
    report = values.obj(body, "report")
    created_at = values.moment(report, "created_at")
    try:
        description = report_rules.validate(
            values.text(report, "category", 20),
            values.text(report, "location", 20),
            values.text(report, "description", report_rules.MAX_DESCRIPTION),
        )
    except DomainError as error:
        raise Refused(f"report: {error.code}") from None
    report_id = values.text(report, "id", 32)
    photo_ids = body.get("photo_ids")
    if not isinstance(photo_ids, list) or len(photo_ids) > report_rules.MAX_PHOTOS:
        raise Refused("photo_ids: a list of at most 3 ids is expected")
    dwelling = dwelling_row(body, created_at)
    return FiledReport(
        report={
            "id": report_id,
            "number": values.integer(report, "number"),
            "building_id": values.text(report, "building_id", 32),
            "dwelling_id": dwelling["id"],
            "category": report["category"],
            "location": report["location"],
            "description": description,
            "status": rs.RECEIVED,
            "created_at": created_at,
            "updated_at": created_at,
        },
        dwelling=dwelling,
        photo_ids=photo_ids,
        event={
            "id": new_id(),
            "report_id": report_id,
            "status": rs.RECEIVED,
            "created_at": created_at,
        },
    )


def photo_rows(connection: Connection, filed: FiledReport) -> list[dict[str, Any]]:
    """Return the report's photos that have arrived, as rows of ``report_photos``.

    A photo kept aside on arrival must not cost the tenant their report.
    """
    if not filed.photo_ids:
        return []
    arrived = set(
        connection.execute(select(photos.c.id).where(photos.c.id.in_(filed.photo_ids))).scalars()
    )
    report_id = filed.report["id"]
    return [
        {"report_id": report_id, "photo_id": photo_id, "position": position}
        for position, photo_id in enumerate(p for p in filed.photo_ids if p in arrived)
    ]


def report_filed(connection: Connection, box_id: str, body: dict[str, Any]) -> None:
    filed = read_filed(body)
    _building_of_box(connection, box_id, filed.report["building_id"])
    _keep_dwelling(connection, box_id, filed.dwelling)
    connection.execute(reports.insert().values(filed.report))
    for row in photo_rows(connection, filed):
        connection.execute(report_photos.insert().values(row))
    connection.execute(report_events.insert().values(filed.event))


def _own_report(connection: Connection, box_id: str, report_id: str) -> None:
    building_id = connection.execute(
        select(reports.c.building_id).where(reports.c.id == report_id)
    ).scalar()
    if building_id is None:
        raise Refused(f"report {report_id} is unknown")
    _building_of_box(connection, box_id, building_id)


def report_message(connection: Connection, box_id: str, body: dict[str, Any]) -> None:
    report_id = values.text(body, "report_id", 32)
    _own_report(connection, box_id, report_id)
    created_at = values.moment(body, "created_at")
    connection.execute(
        report_messages.insert().values(
            id=values.text(body, "message_id", 32),
            report_id=report_id,
            author_kind="tenant",
            author_name=values.text(body, "author_name", 100, optional=True),
            body=values.text(body, "body", report_rules.MAX_MESSAGE),
            created_at=created_at,
        )
    )
    connection.execute(
        update(reports).where(reports.c.id == report_id).values(updated_at=created_at)
    )


def report_supported(connection: Connection, box_id: str, body: dict[str, Any]) -> None:
    report_id = values.text(body, "report_id", 32)
    _own_report(connection, box_id, report_id)
    created_at = values.moment(body, "created_at")
    dwelling_id = _keep_dwelling(connection, box_id, dwelling_row(body, created_at))
    already = connection.execute(
        select(report_supporters.c.report_id).where(
            report_supporters.c.report_id == report_id,
            report_supporters.c.dwelling_id == dwelling_id,
        )
    ).first()
    if already is None:
        connection.execute(
            report_supporters.insert().values(
                report_id=report_id,
                dwelling_id=dwelling_id,
                created_at=created_at,
            )
        )


def _reaches_box(connection: Connection, box_id: str, post: dict[str, Any]) -> None:
    """Refuse news of a post or an event the box does not show: its building's, or its
    residence's."""
    served = set(fleet.buildings_of(connection, box_id))
    if post["building_id"] in served:
        return
    if (
        post["scope"] == "residence"
        and connection.execute(
            select(buildings.c.id).where(
                buildings.c.id.in_(served), buildings.c.residence_id == post["residence_id"]
            )
        ).first()
    ):
        return
    raise Refused(f"post {post['id']} is not shown by box {box_id}")


def _own_publication(
    connection: Connection, box_id: str, table: Table, item: dict[str, Any]
) -> None:
    """Refuse a post or an event a box publishes for a building it does not serve, under
    another residence than its building's, or over one another box published."""
    building_id = values.text(item, "building_id", 32)
    _building_of_box(connection, box_id, building_id)
    residence_id = connection.execute(
        select(buildings.c.residence_id).where(buildings.c.id == building_id)
    ).scalar()
    if values.text(item, "residence_id", 32) != residence_id:
        raise Refused(f"building {building_id} is not in residence {item['residence_id']}")
    before = connection.execute(
        select(table.c.building_id).where(table.c.id == values.text(item, "id", 32))
    ).scalar()
    if before is not None:
        _building_of_box(connection, box_id, before)


def _first_said_by(connection: Connection, box_id: str, key: str) -> None:
    """Refuse a box changing or withdrawing a comment, thanks or reply another box sent."""
    said_by = connection.execute(select(origins.c.box_id).where(origins.c.key == key)).scalar()
    if said_by is None:
        connection.execute(origins.insert().values(key=key, box_id=box_id))
    elif said_by != box_id:
        raise Refused(f"{key} was sent by another box")


# What identifies the comment, thanks or reply a message is about.
_ORIGIN_KEYS: dict[str, Callable[[dict[str, Any]], str]] = {
    "post.commented": lambda body: "comment:" + values.text(values.obj(body, "comment"), "id", 32),
    "post.thanked": lambda body: (
        f"thanks:{values.text(body, 'post_id', 32)}:{values.text(body, 'reactor_id', 32)}"
    ),
    "event.replied": lambda body: (
        f"reply:{values.text(body, 'event_id', 32)}:{values.text(body, 'profile_id', 32)}"
    ),
}


def _board(kind: str) -> Callable[[Connection, str, dict[str, Any]], None]:
    """Keep the hub's copy of a box's noticeboard and hand a residence's news on."""

    def apply(connection: Connection, box_id: str, body: dict[str, Any]) -> None:
        if kind == "post.published":
            _own_publication(connection, box_id, posts, values.obj(body, "post"))
            board_arrival.post_published(connection, body)
            target = board_arrival.post_of(connection, body)
        else:
            target = board_arrival.post_of(connection, body)
            if kind == "post.removed":
                # Only the post's own box takes it down.
                _building_of_box(connection, box_id, target["building_id"])
            _reaches_box(connection, box_id, target)
            if kind in _ORIGIN_KEYS:
                _first_said_by(connection, box_id, _ORIGIN_KEYS[kind](body))
            board_arrival.APPLY[kind](connection, body)
        if target["scope"] == "residence":
            travel.relay_to_residence(
                connection, box_id, target["residence_id"], kind, body, target["id"]
            )

    return apply


def _event(kind: str) -> Callable[[Connection, str, dict[str, Any]], None]:
    """Keep the hub's copy of a box's events and hand a residence's ones on."""

    def apply(connection: Connection, box_id: str, body: dict[str, Any]) -> None:
        if kind == "event.published":
            _own_publication(connection, box_id, events, values.obj(body, "event"))
            event_arrival.event_published(connection, body)
        target = event_arrival.event_of(connection, body)
        if kind == "event.replied":
            _reaches_box(connection, box_id, target)
            _first_said_by(connection, box_id, _ORIGIN_KEYS[kind](body))
            event_arrival.event_replied(connection, body)
        if target["scope"] == "residence":
            travel.relay_to_residence(
                connection, box_id, target["residence_id"], kind, body, target["id"]
            )

    return apply


APPLY: dict[str, Callable[[Connection, str, dict[str, Any]], None]] = {
    "photo.added": photo_added,
    "report.filed": report_filed,
    "report.message": report_message,
    "report.supported": report_supported,
    **{kind: _board(kind) for kind in board_arrival.APPLY},
    **{kind: _event(kind) for kind in event_arrival.APPLY},
}
