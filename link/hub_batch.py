"""A batch applied at the hub with grouped writes: the usual case, made cheap.

Most batches are plain: enrolled boxes sending their next reports, telemetry and
statuses. Here the whole batch is read in a few statements (the boxes' numbering, the
buildings they serve, the dwellings named), decided in Python, and each table's new rows
are written with one statement: a handful of statements per batch instead of a dozen per
report, which is what one ingest process can afford for a thousand boxes.

Anything out of the ordinary — a message ahead of its turn or held ones waiting, a hello,
a message that does not read or does not apply — raises ``Unusual`` naming the boxes
concerned: the caller rolls the transaction back, so nothing of the batch is written,
applies the other boxes' messages here again, and those boxes' messages one by one
(``link.inbox``), which keeps aside what must be kept aside.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from core.domain import fleet, outbox
from core.domain import reports as report_rules
from core.domain.clock import utcnow
from core.messages.reports import ReportFiled
from core.storage.schema import (
    box_buildings,
    dwellings,
    held,
    peers,
    report_events,
    report_photos,
    reports,
)
from link import downlink_gap, received, topics, typed_body
from link.arrivals import at_hub as hub_arrivals
from link.arrivals import fleet as fleet_arrivals
from link.arrivals import reports as report_arrivals
from link.control_bodies import Ack, Telemetry
from link.envelope import ACK, SEQUENCED_UP, STATUS, TELEMETRY, Envelope, decode

# In the order of their foreign keys.
GROUPED = (dwellings, reports, report_photos, report_events)
_ADVANCE = update(peers).where(peers.c.id == bindparam("peer")).values(applied_seq=bindparam("seq"))
_KINDS = {"status": frozenset({STATUS}), "telemetry": frozenset({TELEMETRY})}
_UP = SEQUENCED_UP | {ACK}


class Unusual(Exception):
    """These boxes' messages go one by one instead."""

    def __init__(self, reason: str, boxes: set[str]) -> None:
        super().__init__(reason)
        self.boxes = boxes


@dataclass
class _Arrival:
    box_id: str
    channel: str
    envelope: Envelope
    filed: report_rules.FromBox | None = None
    fingerprint: str = ""


def _read(message: tuple[str, bytes]) -> _Arrival:
    topic, payload = message
    where = topics.box_of(topic)
    if where is None or where[1] not in ("status", "telemetry", "up"):
        raise Unusual(topic, {where[0] if where else topic})
    box_id, channel = where
    try:
        envelope = decode(payload, _KINDS.get(channel, _UP))
        filed = (
            report_arrivals.filed_rows(typed_body.read(ReportFiled, envelope.body))
            if envelope.kind == ReportFiled.KIND
            else None
        )
    except Exception as error:
        raise Unusual(str(error), {box_id}) from error
    if envelope.box != box_id:
        raise Unusual(topic, {box_id})
    numbered = envelope.seq is not None
    fingerprint = received.fingerprint_of(payload) if numbered else ""
    return _Arrival(box_id, channel, envelope, filed, fingerprint)


def _copies_only(connection: Connection, arrivals: list[_Arrival], expected: dict) -> None:
    """Raise Unusual for boxes that sent, under a number already taken, something else."""
    earlier = [
        arrival
        for arrival in arrivals
        if arrival.envelope.seq is not None and arrival.envelope.seq < expected[arrival.box_id]
    ]
    known = received.recorded(connection, {(a.box_id, a.envelope.seq) for a in earlier})
    differing = {
        arrival.box_id
        for arrival in earlier
        if (record := known.get((arrival.box_id, arrival.envelope.seq)))
        and record.fingerprint != arrival.fingerprint
    }
    if differing:
        raise Unusual("another message under a number already taken", differing)


def _plain_cursors(connection: Connection, arrivals: list[_Arrival]) -> None:
    """Raise Unusual for boxes whose telemetry shows a cursor that asks for more than a
    plain batch does (link/downlink_gap.py)."""
    cursors = {
        arrival.box_id: applied
        for arrival in arrivals
        if arrival.channel == "telemetry"
        and (applied := typed_body.read(Telemetry, arrival.envelope.body).applied) is not None
    }
    attention = downlink_gap.needs_attention(connection, cursors) if cursors else set()
    if attention:
        raise Unusual("a box's cursor to look at", attention)


def _readable(messages: Iterable[tuple[str, bytes]]) -> list[_Arrival]:
    arrivals, unusual = [], set()
    for message in messages:
        try:
            arrivals.append(_read(message))
        except Unusual as error:
            unusual |= error.boxes
    if unusual:
        raise Unusual("messages out of the ordinary", unusual)
    return arrivals


class _Writes:
    """The batch's new rows, written table by table when something needs them written."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.rows: dict[Any, list[dict[str, Any]]] = {table: [] for table in GROUPED}

    def add(self, table: Any, row: dict[str, Any]) -> None:
        self.rows[table].append(row)

    def flush(self) -> None:
        for table, rows in self.rows.items():
            if rows:
                self.connection.execute(table.insert(), rows)
                rows.clear()


def apply(connection: Connection, messages: Iterable[tuple[str, bytes]]) -> dict[str, int]:
    """Apply a batch ordered by box; return, per box to acknowledge, its last applied number.

    Raises Unusual, or the error of a message that does not apply, to have the batch
    applied message by message instead; the caller must then roll back.
    """
    arrivals = _readable(messages)
    box_ids = sorted({arrival.box_id for arrival in arrivals})
    holding = set(
        connection.execute(
            select(held.c.peer_id).where(held.c.peer_id.in_(box_ids)).distinct()
        ).scalars()
    )
    if holding:
        raise Unusual("messages are held", holding)
    now = utcnow()
    changes: dict[str, dict[str, Any]] = {}
    for arrival in arrivals:
        try:
            change = fleet_arrivals.fleet_change(arrival.channel, arrival.envelope.body, now)
        except Exception as error:
            raise Unusual(str(error), {arrival.box_id}) from error
        changes.setdefault(arrival.box_id, {}).update(change)
    _plain_cursors(connection, arrivals)
    # Boxes' rows first, then their numbering, each in the order of their ids: the order
    # in which message-by-message batches lock them, so two processes never deadlock.
    fleet.record_many(connection, changes)
    expected = {
        peer_id: applied + 1
        for peer_id, applied in connection.execute(
            select(peers.c.id, peers.c.applied_seq)
            .where(peers.c.id.in_(box_ids))
            .order_by(peers.c.id)
            .with_for_update()
        )
    }
    if len(expected) != len(box_ids):
        raise Unusual("a box is not enrolled", set(box_ids) - set(expected))
    _copies_only(connection, arrivals, expected)
    served = dict(
        connection.execute(
            select(box_buildings.c.building_id, box_buildings.c.box_id).where(
                box_buildings.c.box_id.in_(box_ids)
            )
        ).all()
    )
    named = {arrival.filed.dwelling["id"] for arrival in arrivals if arrival.filed}
    known = (
        dict(
            connection.execute(
                select(dwellings.c.id, dwellings.c.building_id).where(dwellings.c.id.in_(named))
            ).all()
        )
        if named
        else {}
    )
    writes = _Writes(connection)
    to_ack: set[str] = set()
    claimed: set[str] = set()
    taken: dict[tuple[str, int], str] = {}
    for arrival in arrivals:
        box_id, envelope = arrival.box_id, arrival.envelope
        if arrival.channel != "up":
            continue
        if envelope.kind == ACK:
            outbox.acknowledged(connection, box_id, typed_body.read(Ack, envelope.body).applied)
            continue
        if envelope.seq > expected[box_id]:
            raise Unusual("a message ahead of its turn", {box_id})
        to_ack.add(box_id)
        if envelope.seq < expected[box_id]:
            if taken.get((box_id, envelope.seq), arrival.fingerprint) != arrival.fingerprint:
                raise Unusual("another message under a number of this batch", {box_id})
            continue
        expected[box_id] += 1
        claimed.add(box_id)
        taken[(box_id, envelope.seq)] = arrival.fingerprint
        if arrival.filed is None:
            writes.flush()
            try:
                hub_arrivals.apply(connection, box_id, envelope.kind, envelope.body)
            except Exception as error:
                raise Unusual(str(error), {box_id}) from error
            continue
        filed = arrival.filed
        dwelling = filed.dwelling
        if served.get(filed.report["building_id"]) != box_id:
            raise Unusual("a building of another box", {box_id})
        if served.get(dwelling["building_id"]) != box_id:
            raise Unusual("a building of another box", {box_id})
        if dwelling["id"] not in known:
            writes.add(dwellings, dwelling)
            known[dwelling["id"]] = dwelling["building_id"]
        elif known[dwelling["id"]] != dwelling["building_id"]:
            raise Unusual("a dwelling of another building", {box_id})
        writes.add(reports, filed.report)
        for row in report_rules.photos_from_box(connection, filed):
            writes.add(report_photos, row)
        writes.add(report_events, filed.event)
    writes.flush()
    received.remember(
        connection,
        [
            {"peer_id": box_id, "seq": seq, "fingerprint": fingerprint, "kept_aside": False}
            for (box_id, seq), fingerprint in taken.items()
        ],
    )
    if claimed:
        connection.execute(
            _ADVANCE, [{"peer": box_id, "seq": expected[box_id] - 1} for box_id in sorted(claimed)]
        )
    return {box_id: expected[box_id] - 1 for box_id in sorted(to_ack)}
