"""The outbox: messages to the other side, written with the change they carry.

A box linked to a hub tells the hub about its tenants' reports; the hub tells each box
what its agents and publishers did for that box's buildings. A message is written to the
outbox in the same transaction as the change, numbered for its peer (1, 2, 3…), and stays
there until the peer says it has applied it (docs/PROTOCOL.md).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from core.domain.clock import new_id, utcnow
from core.domain.side import HUB, is_linked_box, whoami
from core.storage.schema import (
    box_buildings,
    outbox,
    peers,
)

# Under the broker's packet limit (4 MiB), with room for the topic and properties. A photo
# is kept under 1.5 MiB (photos.MAX_KEPT_BYTES), 2 MiB once in base64.
MAX_MESSAGE_BYTES = 3 * 1024 * 1024


# Room left in a message for the envelope around the body.
ENVELOPE_ROOM = 4096
# When the link works, a message reaches the hub within a second or two: only one still
# waiting after this long is late.
LATE_AFTER = timedelta(minutes=2)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot travel")


def _enqueue(
    connection: Connection, peer_id: str, kind: str, body: dict, subject_id: str | None
) -> None:
    encoded = json.dumps(body, default=_jsonable, ensure_ascii=False)
    if len(encoded.encode()) > MAX_MESSAGE_BYTES - ENVELOPE_ROOM:
        # It would be refused on the way and stop every message behind it: a bug to fix.
        raise ValueError(f"a {kind} message of {len(encoded)} characters cannot travel")
    # The update takes the peer's row lock (PostgreSQL) or the write lock (SQLite) until
    # commit, so two writers never give out the same number.
    connection.execute(
        update(peers).where(peers.c.id == peer_id).values(sent_seq=peers.c.sent_seq + 1)
    )
    seq = connection.execute(select(peers.c.sent_seq).where(peers.c.id == peer_id)).scalar_one()
    connection.execute(
        outbox.insert().values(
            peer_id=peer_id,
            seq=seq,
            id=new_id(),
            kind=kind,
            subject_id=subject_id,
            body=encoded,
            created_at=utcnow(),
        )
    )


def tell_hub(
    connection: Connection, kind: str, body: dict[str, Any], subject_id: str | None = None
) -> None:
    """On a linked box, queue a message for the hub; elsewhere do nothing."""
    if is_linked_box(connection):
        _enqueue(connection, HUB, kind, body, subject_id)


def tell_box(
    connection: Connection, box_id: str, kind: str, body: dict[str, Any], subject_id: str | None
) -> None:
    """At the hub, queue a message for one box: what concerns that box alone (its
    certificate), whatever buildings it serves."""
    me = whoami(connection)
    if me is not None and me["kind"] == "hub":
        _enqueue(connection, box_id, kind, body, subject_id)


def tell_boxes_of(
    connection: Connection,
    building_ids: list[str],
    kind: str,
    body: dict[str, Any],
    subject_id: str | None = None,
    skip: set[str] = frozenset(),
    only: str | None = None,
) -> int:
    """At the hub, queue a message for each box serving one of the buildings; return how many.

    Boxes in ``skip`` get nothing; with ``only``, that box alone may get it.
    """
    me = whoami(connection)
    if me is None or me["kind"] != "hub" or not building_ids:
        return 0
    box_ids = connection.execute(
        select(box_buildings.c.box_id)
        .where(box_buildings.c.building_id.in_(building_ids))
        .distinct()
        .order_by(box_buildings.c.box_id)
    ).scalars()
    count = 0
    for box_id in box_ids:
        if box_id in skip or only not in (None, box_id):
            continue
        _enqueue(connection, box_id, kind, body, subject_id)
        count += 1
    return count


def not_delivered(
    connection: Connection, report_ids: list[str], now: datetime | None = None
) -> set[str]:
    """Return which of these reports the landlord has not fully received for a while
    (``LATE_AFTER``): a report just filed is on its way, and saying otherwise would alarm
    the tenant for nothing.

    Only a box linked to a hub sends anything: at the hub, what waits in the outbox is
    on its way back to the boxes, and the landlord already has it.
    """
    if not report_ids or not is_linked_box(connection):
        return set()
    since = (now or utcnow()) - LATE_AFTER
    return set(
        connection.execute(
            select(outbox.c.subject_id)
            .where(outbox.c.subject_id.in_(report_ids), outbox.c.created_at < since)
            .distinct()
        ).scalars()
    )


def waiting(
    connection: Connection, peer_id: str, after_seq: int = 0, limit: int = 100
) -> list[dict[str, Any]]:
    """Return the peer's messages numbered after ``after_seq``, in order."""
    rows = connection.execute(
        select(outbox)
        .where(outbox.c.peer_id == peer_id, outbox.c.seq > after_seq)
        .order_by(outbox.c.seq)
        .limit(limit)
    ).mappings()
    return [dict(row) for row in rows]


def depth(connection: Connection, peer_id: str | None = None) -> int:
    """Return how many messages wait for the peer (for every peer when None)."""
    query = select(func.count()).select_from(outbox)
    if peer_id is not None:
        query = query.where(outbox.c.peer_id == peer_id)
    return connection.execute(query).scalar_one()


def acknowledged(
    connection: Connection, peer_id: str, applied_seq: int, disputed: list[int] = ()
) -> int:
    """Forget the messages the peer has applied (all up to ``applied_seq``), except those
    it names ``disputed`` (kept for an operator there); return how many."""
    removed = connection.execute(
        delete(outbox).where(
            outbox.c.peer_id == peer_id,
            outbox.c.seq <= applied_seq,
            outbox.c.seq.not_in(list(disputed)),
        )
    ).rowcount
    connection.execute(update(peers).where(peers.c.id == peer_id).values(acked_at=utcnow()))
    return removed


def send_again(connection: Connection, peer_id: str) -> None:
    """Make every message waiting for the peer due at once (it has just come back)."""
    connection.execute(update(outbox).where(outbox.c.peer_id == peer_id).values(sent_at=None))


def _stale(now: datetime, resend_after: float):
    return outbox.c.sent_at.is_(None) | (outbox.c.sent_at < now - timedelta(seconds=resend_after))


def has_due(
    connection: Connection, now: datetime, resend_after: float, skip: frozenset[str] = frozenset()
) -> bool:
    """Tell, by reading only, whether some message should go now (see take_due)."""
    query = select(outbox.c.seq).where(_stale(now, resend_after), outbox.c.peer_id.not_in(skip))
    return connection.execute(query.limit(1)).first() is not None


def take_due(
    connection: Connection,
    now: datetime,
    resend_after: float,
    window: int,
    limit: int = 500,
    skip: frozenset[str] = frozenset(),
    window_bytes: int | None = None,
) -> list[dict[str, Any]]:
    """Return the messages to give to the broker now, marked as sent, in order per peer.

    A message is due when it was never sent, or was sent ``resend_after`` seconds ago
    without an acknowledgement since. No more than ``window`` messages per peer are out
    at once, nor more than ``window_bytes`` of their bodies (though always one when none
    is out), so a slow peer is not flooded with copies and a run of photos does not fill
    the memory of the process sending them. Peers in ``skip`` (known to be away) get
    nothing: they say hello when they come back.
    """
    cutoff = now - timedelta(seconds=resend_after)
    stale = _stale(now, resend_after)
    size = func.length(outbox.c.body)
    due: list[dict[str, Any]] = []
    peer_ids = connection.execute(
        select(outbox.c.peer_id).where(stale, outbox.c.peer_id.not_in(skip)).distinct()
    ).scalars()
    for peer_id in list(peer_ids):
        out, out_bytes = connection.execute(
            select(func.count(), func.coalesce(func.sum(size), 0)).where(
                outbox.c.peer_id == peer_id, outbox.c.sent_at >= cutoff
            )
        ).one()
        room = min(window - out, limit - len(due))
        if room <= 0:
            continue
        candidates = connection.execute(
            select(outbox.c.seq, size)
            .where(outbox.c.peer_id == peer_id, stale)
            .order_by(outbox.c.seq)
            .limit(room)
        ).all()
        room_bytes = None if window_bytes is None else window_bytes - out_bytes
        last = _last_within(candidates, room_bytes, none_out=out == 0)
        if last is None:
            continue
        # The rows just measured, named without a list of their numbers.
        within = (outbox.c.peer_id == peer_id, stale, outbox.c.seq <= last)
        rows = connection.execute(select(outbox).where(*within).order_by(outbox.c.seq))
        due += [dict(row) for row in rows.mappings()]
        connection.execute(update(outbox).where(*within).values(sent_at=now))
    return due


def _last_within(candidates: list[Any], room_bytes: int | None, none_out: bool) -> int | None:
    # The number of the last message that fits in ``room_bytes``. With none out, the first
    # always goes: a message bigger than the window would otherwise never go.
    last, total = None, 0
    for seq, size in candidates:
        alone = none_out and last is None
        if room_bytes is not None and total + size > room_bytes and not alone:
            break
        last, total = seq, total + size
    return last
