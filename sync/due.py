"""The messages of the outbox to give to the broker now, the same on a box and at the hub."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from appliance.domain import link
from appliance.domain.clock import utcnow
from appliance.storage.engine import writing

# A message not acknowledged this long after it left is sent again.
RESEND_AFTER_S = 10.0
# At most this many messages out to one peer without acknowledgement.
WINDOW = 1000


def take(engine: Engine, away: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Return the outbox rows due now, marked as sent; none for the peers ``away``.

    Reading first spares the write lock (and a box's SD card) when nothing is due.
    """
    with engine.connect() as connection:
        if not link.has_due(connection, utcnow(), RESEND_AFTER_S, away):
            return []
    with writing(engine) as connection:
        return link.take_due(connection, utcnow(), RESEND_AFTER_S, WINDOW, skip=away)
