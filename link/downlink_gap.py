"""A box's cursor is the truth: when it shows numbers the hub no longer has, start again.

The hub deletes its messages to a box when the box acknowledges them. An acknowledgement
forged with the box's credentials (or a box restored from an old backup) can make the
hub delete messages the box never applied: the box then waits for ever for numbers that
no longer exist. The box says where it stands in its ``hello`` and in its telemetry
(``applied``). When that shows such a gap, the hub brings the box up to date:

1. the gap must be seen twice, ``CONFIRM_AFTER`` apart: two ingest processes may apply
   one box's messages out of order, and one late report of the cursor proves nothing;
2. the box's pending messages are dropped and the catch-up of its enrolment is queued
   again after the hub's last number, with the recent state of its reports;
3. the hub tells the box to resume from there (``resume`` in the hub's ``hello``): the
   box moves its cursor past the lost numbers, and says so in its log. The hub repeats
   it at each report of the box's cursor until the box has resumed.

A box is brought up to date at most once per ``AT_MOST_EVERY``; the fleet page shows
when it last was.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, select, update

from core.domain import catch_up, fleet
from core.storage.schema import boxes, outbox, peers

log = logging.getLogger(__name__)

# Longer than the ingest processes' batches take, shorter than two telemetry reports.
CONFIRM_AFTER = timedelta(seconds=20)
AT_MOST_EVERY = timedelta(minutes=10)


def _standing(connection: Connection, box_ids: list[str]) -> list:
    lowest = select(func.min(outbox.c.seq)).where(outbox.c.peer_id == peers.c.id).scalar_subquery()
    return connection.execute(
        select(
            peers.c.id,
            peers.c.sent_seq,
            peers.c.gap_seen_at,
            peers.c.resume_from,
            lowest.label("lowest"),
        ).where(peers.c.id.in_(box_ids))
    ).all()


def _gap(row, applied: int) -> bool:
    # Numbers after the box's cursor were given out, but the next one is gone.
    return applied < row.sent_seq and (row.lowest is None or row.lowest > applied + 1)


def needs_attention(connection: Connection, cursors: dict[str, int]) -> set[str]:
    """Return the boxes whose reported cursor asks for more than a plain batch does."""
    return {
        row.id
        for row in _standing(connection, list(cursors))
        if _gap(row, cursors[row.id]) or row.gap_seen_at or row.resume_from
    }


def observe(connection: Connection, box_id: str, applied: int, now: datetime) -> int | None:
    """Take note of where the box says it stands; return the number it must resume from,
    when the hub has to tell it so."""
    rows = _standing(connection, [box_id])
    if not rows:
        return None
    row = rows[0]
    where = update(peers).where(peers.c.id == box_id)
    if row.resume_from is not None:
        if applied >= row.resume_from - 1:
            connection.execute(where.values(resume_from=None))
            return None
        return row.resume_from
    if not _gap(row, applied):
        if row.gap_seen_at is not None:
            connection.execute(where.values(gap_seen_at=None))
        return None
    if row.gap_seen_at is None:
        connection.execute(where.values(gap_seen_at=now))
        return None
    if now - row.gap_seen_at < CONFIRM_AFTER or _recently_brought(connection, box_id, now):
        return None
    return _bring_up_to_date(connection, box_id, applied, row.sent_seq, now)


def _recently_brought(connection: Connection, box_id: str, now: datetime) -> bool:
    last = connection.execute(
        select(boxes.c.brought_up_to_date_at).where(boxes.c.id == box_id)
    ).scalar()
    return last is not None and now - last < AT_MOST_EVERY


def _bring_up_to_date(
    connection: Connection, box_id: str, applied: int, sent: int, now: datetime
) -> int:
    log.warning(
        "box %s applied up to %d but the hub no longer has the messages after it "
        "(it gave out %d): bringing the box up to date",
        box_id,
        applied,
        sent,
    )
    connection.execute(delete(outbox).where(outbox.c.peer_id == box_id))
    resume_from = sent + 1
    building_ids = fleet.buildings_of(connection, box_id)
    catch_up.box(connection, box_id, building_ids)
    catch_up.reports_to_box(connection, box_id, building_ids)
    connection.execute(
        update(peers).where(peers.c.id == box_id).values(gap_seen_at=None, resume_from=resume_from)
    )
    connection.execute(update(boxes).where(boxes.c.id == box_id).values(brought_up_to_date_at=now))
    return resume_from
