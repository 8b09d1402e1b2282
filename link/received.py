"""What the hub received under each number of each box: a copy, or another message?

A box sends a message again, byte for byte, until the hub acknowledges it; a copy is
skipped. But someone holding a box's credentials can send something else under a number
first. So the hub remembers a fingerprint of what it applied or kept aside under each
recent number. A second message with the same number and other content is not a copy:

- if the first was kept aside (never applied), the second is applied in its place — the
  junk that used the number does not make the box's real message disappear;
- if the first was applied, the second is a **conflict**: kept for an operator, who may
  apply it or set it aside. Until then every acknowledgement to the box names the number
  as ``disputed``, and the box keeps its copy in its outbox (docs/PROTOCOL.md).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import Connection, delete, insert, select, tuple_, update

from core.domain.clock import utcnow
from core.storage.schema import conflicts, peers, received
from link.control_bodies import MOST_DISPUTED

log = logging.getLogger(__name__)

# Numbers this far behind a box's cursor are forgotten: a box sends again only what it has
# not been acknowledged, at most a window (4,000) at a time.
REMEMBERED = 10_000


class Record(NamedTuple):
    fingerprint: str
    kept_aside: bool


def fingerprint_of(payload: bytes) -> str:
    """Return what tells two messages apart: the first half of their SHA-256, in hex."""
    return hashlib.sha256(payload).hexdigest()[:32]


def remember(connection: Connection, rows: list[dict]) -> None:
    """Record what was applied or kept aside under each number (peer_id, seq,
    fingerprint, kept_aside), in one statement."""
    if rows:
        connection.execute(insert(received), rows)


def replace(connection: Connection, peer_id: str, seq: int, fingerprint: str) -> None:
    """Record that the message applied under a number is now this one."""
    connection.execute(
        update(received)
        .where(received.c.peer_id == peer_id, received.c.seq == seq)
        .values(fingerprint=fingerprint, kept_aside=False)
    )


def recorded(connection: Connection, numbers: Iterable[tuple[str, int]]) -> dict:
    """Return the Record of each (box, number) the hub remembers."""
    numbers = list(numbers)
    if not numbers:
        return {}
    rows = connection.execute(
        select(received).where(tuple_(received.c.peer_id, received.c.seq).in_(numbers))
    )
    return {(row.peer_id, row.seq): Record(row.fingerprint, row.kept_aside) for row in rows}


def keep_conflict(
    connection: Connection, peer_id: str, seq: int, fingerprint: str, topic: str, payload: bytes
) -> None:
    """Keep a second message under a number already applied, once, for an operator."""
    known = connection.execute(
        select(conflicts.c.id).where(
            conflicts.c.peer_id == peer_id,
            conflicts.c.seq == seq,
            conflicts.c.fingerprint == fingerprint,
        )
    ).first()
    if known is not None:
        return
    log.warning("message on %s #%d differs from the one applied: kept for an operator", topic, seq)
    connection.execute(
        conflicts.insert().values(
            peer_id=peer_id,
            seq=seq,
            fingerprint=fingerprint,
            topic=topic,
            payload=payload,
            received_at=utcnow(),
        )
    )


def disputed(connection: Connection, peer_ids: Iterable[str]) -> dict[str, list[int]]:
    """Return, per box, the numbers of its conflicts no operator has decided yet."""
    peer_ids = list(peer_ids)
    if not peer_ids:
        return {}
    rows = connection.execute(
        select(conflicts.c.peer_id, conflicts.c.seq)
        .where(conflicts.c.peer_id.in_(peer_ids), conflicts.c.decided_at.is_(None))
        .distinct()
        .order_by(conflicts.c.peer_id, conflicts.c.seq)
    )
    found: dict[str, list[int]] = {}
    for peer_id, seq in rows:
        numbers = found.setdefault(peer_id, [])
        if len(numbers) < MOST_DISPUTED:
            numbers.append(seq)
    return found


def forget_old(connection: Connection) -> int:
    """Forget what was received under numbers far behind each box's cursor; return how many."""
    cursor = select(peers.c.applied_seq).where(peers.c.id == received.c.peer_id).scalar_subquery()
    old = received.c.seq <= cursor - REMEMBERED
    return connection.execute(delete(received).where(old)).rowcount
