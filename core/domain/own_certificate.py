"""On a box: the public name the hub gave it, when it last asked for a certificate, and a
chain that came from the hub and waits for the box agent to install it.

Messages are applied inside the link's transaction, which touches the database only; the
agent, which owns the box's TLS files, installs the chain afterwards
(``link/certificate_upkeep.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

from core.storage.schema import box_certificates


@dataclass(frozen=True)
class Own:
    name: str
    chain: str | None
    requested_at: datetime | None


def get(connection: Connection, box_id: str) -> Own | None:
    """Return the box's name and what waits, or None before the hub named it."""
    c = box_certificates.c
    row = connection.execute(
        select(c.name, c.chain, c.requested_at).where(c.box_id == box_id)
    ).first()
    return Own(row.name, row.chain, row.requested_at) if row else None


def take_name(connection: Connection, box_id: str, name: str) -> None:
    """Keep the name the hub gave; a new name is asked for at once."""
    current = get(connection, box_id)
    if current is None:
        connection.execute(box_certificates.insert().values(box_id=box_id, name=name))
    elif current.name != name:
        connection.execute(
            update(box_certificates)
            .where(box_certificates.c.box_id == box_id)
            .values(name=name, requested_at=None, chain=None)
        )


def take_chain(connection: Connection, box_id: str, chain: str) -> bool:
    """Keep a chain to install; return False when the box has no name to install it for."""
    return bool(
        connection.execute(
            update(box_certificates).where(box_certificates.c.box_id == box_id).values(chain=chain)
        ).rowcount
    )


def installed(connection: Connection, box_id: str) -> None:
    """Forget the chain waiting: it is installed, or refused and reported."""
    connection.execute(
        update(box_certificates).where(box_certificates.c.box_id == box_id).values(chain=None)
    )


def asked(connection: Connection, box_id: str, now: datetime) -> None:
    connection.execute(
        update(box_certificates).where(box_certificates.c.box_id == box_id).values(requested_at=now)
    )
