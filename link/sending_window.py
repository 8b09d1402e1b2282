"""The messages of the outbox to give to the broker now, the same on a box and at the hub."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from core.domain import outbox
from core.domain.clock import utcnow
from core.storage.engine import writing

# A message not acknowledged this long after it left is sent again.
RESEND_AFTER_S = 10.0
# At most this many messages out to one peer without acknowledgement: well under what
# the hub acknowledges in RESEND_AFTER_S (over 5,000 a second, docs/PERFORMANCE.md), so a
# catching-up box sends no copies, and enough for the hub never to wait for the box.
WINDOW = 4000
# Nor more than this much of their bodies: four photos, or all 4,000 reports.
WINDOW_BYTES = 8 * 1024 * 1024
# Taken in one transaction at most; a sender that got this many has more to send at once.
AT_ONCE = 500


def take(engine: Engine, away: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Return the outbox rows due now, marked as sent; none for the peers ``away``.

    Reading first spares the write lock (and a box's SD card) when nothing is due.
    """
    with engine.connect() as connection:
        if not outbox.has_due(connection, utcnow(), RESEND_AFTER_S, away):
            return []
    with writing(engine) as connection:
        return outbox.take_due(
            connection,
            utcnow(),
            RESEND_AFTER_S,
            WINDOW,
            limit=AT_ONCE,
            skip=away,
            window_bytes=WINDOW_BYTES,
        )
