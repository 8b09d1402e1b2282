"""Which side of the link this database is — the hub, a box with its box id, or neither —
and the peers it numbers messages with.

A box without a hub has no node row and keeps everything to itself (docs/PROTOCOL.md).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, select, update

from core.domain.clock import utcnow
from core.storage.schema import (
    conflicts,
    held,
    node,
    outbox,
    peers,
    quarantine,
    received,
)

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


def forget_peer(connection: Connection, peer_id: str) -> None:
    """Stop exchanging messages with a peer: what waits for it or from it goes."""
    connection.execute(delete(outbox).where(outbox.c.peer_id == peer_id))
    connection.execute(delete(held).where(held.c.peer_id == peer_id))
    # A box enrolled again under the same id numbers from 1 again.
    connection.execute(delete(received).where(received.c.peer_id == peer_id))
    connection.execute(delete(conflicts).where(conflicts.c.peer_id == peer_id))
    connection.execute(update(quarantine).where(quarantine.c.box_id == peer_id).values(box_id=None))
    connection.execute(delete(peers).where(peers.c.id == peer_id))


def is_peer(connection: Connection, peer_id: str) -> bool:
    """Tell whether messages are numbered with this peer."""
    return connection.execute(select(peers.c.id).where(peers.c.id == peer_id)).first() is not None
