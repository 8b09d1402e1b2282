"""What crosses the link to the other side: messages written with the change they carry.

A box linked to a hub tells the hub about its tenants' reports; the hub tells each box
what its agents and publishers did for that box's buildings. A message is written to the
outbox in the same transaction as the change, numbered for its peer (1, 2, 3…), and stays
there until the peer says it has applied it (docs/PROTOCOL.md). A box without a hub has
no node row and keeps everything to itself.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from appliance.domain.clock import new_id, utcnow
from appliance.storage.schema import box_buildings, node, outbox, peers

HUB = "hub"


def whoami(connection: Connection) -> dict[str, Any] | None:
    """Return this database's node row (kind "box" with its box id, or "hub"), if linked."""
    row = connection.execute(select(node)).mappings().first()
    return dict(row) if row else None


def is_linked_box(connection: Connection) -> bool:
    """Tell whether this is a box whose reports are answered at a hub."""
    me = whoami(connection)
    return me is not None and me["kind"] == "box"


def become_box(connection: Connection, box_id: str) -> None:
    """Mark this database as box ``box_id``, linked to the hub."""
    connection.execute(node.insert().values(id=1, kind="box", box_id=box_id, created_at=utcnow()))
    add_peer(connection, HUB)


def become_hub(connection: Connection) -> None:
    """Mark this database as the hub's."""
    if whoami(connection) is None:
        connection.execute(node.insert().values(id=1, kind="hub", created_at=utcnow()))


def add_peer(connection: Connection, peer_id: str) -> None:
    """Start numbering messages to and from a new peer."""
    connection.execute(peers.insert().values(id=peer_id))


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot travel")


def _enqueue(
    connection: Connection, peer_id: str, kind: str, body: dict, subject_id: str | None
) -> None:
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
            body=json.dumps(body, default=_jsonable, ensure_ascii=False),
            created_at=utcnow(),
        )
    )


def tell_hub(
    connection: Connection, kind: str, body: dict[str, Any], subject_id: str | None = None
) -> None:
    """On a linked box, queue a message for the hub; elsewhere do nothing."""
    if is_linked_box(connection):
        _enqueue(connection, HUB, kind, body, subject_id)


def tell_boxes_of(
    connection: Connection,
    building_ids: list[str],
    kind: str,
    body: dict[str, Any],
    subject_id: str | None = None,
) -> int:
    """At the hub, queue a message for each box serving one of the buildings; return how many."""
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
        _enqueue(connection, box_id, kind, body, subject_id)
        count += 1
    return count


def undelivered(connection: Connection, subject_ids: list[str]) -> set[str]:
    """Return which of these subjects still have a message waiting for the peer."""
    if not subject_ids:
        return set()
    return set(
        connection.execute(
            select(outbox.c.subject_id).where(outbox.c.subject_id.in_(subject_ids)).distinct()
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


def acknowledged(connection: Connection, peer_id: str, applied_seq: int) -> int:
    """Forget the messages the peer has applied (all up to ``applied_seq``); return how many."""
    removed = connection.execute(
        delete(outbox).where(outbox.c.peer_id == peer_id, outbox.c.seq <= applied_seq)
    ).rowcount
    connection.execute(update(peers).where(peers.c.id == peer_id).values(acked_at=utcnow()))
    return removed


def claim_next(connection: Connection, peer_id: str, seq: int) -> bool:
    """Take the right to apply the peer's message ``seq``: only the next one in order.

    True once for each number: a message seen again, or one that came before its
    predecessor, gets False. Several ingest processes can race for the same message;
    the conditional update lets exactly one of them through.
    """
    return (
        connection.execute(
            update(peers)
            .where(peers.c.id == peer_id, peers.c.applied_seq == seq - 1)
            .values(applied_seq=seq)
        ).rowcount
        == 1
    )


def applied_seq(connection: Connection, peer_id: str) -> int:
    """Return the number of the last message applied from the peer."""
    return connection.execute(
        select(peers.c.applied_seq).where(peers.c.id == peer_id)
    ).scalar_one()
