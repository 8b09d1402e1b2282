"""The cursor of what this side applied from each peer: messages are applied in their
numbers' order and once, and one that comes before its predecessor is held for its turn
(docs/PROTOCOL.md, "Order and once").
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, select, update

from core.domain.clock import utcnow
from core.storage.schema import (
    held,
    peers,
)


def resume(connection: Connection, peer_id: str, resume_from: int) -> bool:
    """Move the cursor past numbers the peer no longer has, so that ``resume_from`` is the
    next one applied; return whether it moved."""
    moved = connection.execute(
        update(peers)
        .where(peers.c.id == peer_id, peers.c.applied_seq < resume_from - 1)
        .values(applied_seq=resume_from - 1)
    ).rowcount
    connection.execute(delete(held).where(held.c.peer_id == peer_id, held.c.seq < resume_from))
    return moved == 1


NEXT, SEEN, AHEAD, TOO_FAR = "next", "seen", "ahead", "too far"


def claim_next(connection: Connection, peer_id: str, seq: int) -> str:
    """Take the right to apply the peer's message ``seq``, if it is the next one in order.

    Returns NEXT once for each number (apply it now), SEEN for a copy of one already
    applied, AHEAD for one that came before its predecessor. Several ingest processes
    can race for the same message; the conditional update lets exactly one through.
    """
    taken = connection.execute(
        update(peers)
        .where(peers.c.id == peer_id, peers.c.applied_seq == seq - 1)
        .values(applied_seq=seq)
    ).rowcount
    if taken == 1:
        return NEXT
    return SEEN if seq <= applied_seq(connection, peer_id) else AHEAD


def claim_or_hold(
    connection: Connection, peer_id: str, seq: int, topic: str, payload: bytes, most_ahead: int
) -> str:
    """Claim the message like ``claim_next``; one that is AHEAD is held for its turn.

    Before holding, the peer's row is locked and the claim tried again: a message is
    never held just after someone else applied its predecessor without seeing it. One
    more than ``most_ahead`` past the cursor is not held but answered TOO_FAR: no sender
    has that many out at once, and held it would wait forever.
    """
    claim = claim_next(connection, peer_id, seq)
    if claim != AHEAD:
        return claim
    connection.execute(select(peers.c.id).where(peers.c.id == peer_id).with_for_update())
    claim = claim_next(connection, peer_id, seq)
    if claim == AHEAD:
        if seq - applied_seq(connection, peer_id) > most_ahead:
            return TOO_FAR
        _hold(connection, peer_id, seq, topic, payload)
    return claim


def _hold(connection: Connection, peer_id: str, seq: int, topic: str, payload: bytes) -> None:
    known = connection.execute(
        select(held.c.seq).where(held.c.peer_id == peer_id, held.c.seq == seq)
    ).first()
    if known is None:
        connection.execute(
            held.insert().values(
                peer_id=peer_id, seq=seq, topic=topic, payload=payload, received_at=utcnow()
            )
        )


def next_held(connection: Connection, peer_id: str) -> tuple[str, bytes] | None:
    """Take out the held message whose turn has come, if any (forgetting older copies)."""
    turn = applied_seq(connection, peer_id) + 1
    row = connection.execute(
        select(held.c.topic, held.c.payload).where(held.c.peer_id == peer_id, held.c.seq == turn)
    ).first()
    connection.execute(delete(held).where(held.c.peer_id == peer_id, held.c.seq <= turn))
    return (row.topic, row.payload) if row else None


def applied_seq(connection: Connection, peer_id: str) -> int:
    """Return the number of the last message applied from the peer."""
    return connection.execute(select(peers.c.applied_seq).where(peers.c.id == peer_id)).scalar_one()
