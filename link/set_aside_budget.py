"""How many of one box's messages the hub stores aside each minute.

Every message that cannot be applied is kept aside with its reason, for operators to
read. But someone holding a box's credentials can send junk as fast as the link
carries it, and each would be a row in the hub's database. So each ingest process keeps
a budget and stores at most ``PER_MINUTE`` of one box's messages aside in a minute; the
rest are counted, logged, and told in one row at the box's next message after the
minute. What a box sends is never
stopped here: only the copies kept for reading are.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

log = logging.getLogger(__name__)

PER_MINUTE = 20
MINUTE_S = 60.0


@dataclass
class _Minute:
    started: float
    stored: int = 0
    not_stored: int = 0


class Budget:
    """The messages of each box stored aside in the current minute, in this process."""

    def __init__(self, per_minute: int = PER_MINUTE, clock=time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._minutes: dict[str, _Minute] = {}
        self._lock = threading.Lock()

    def take(self, box_id: str) -> tuple[bool, int]:
        """Return whether one more of the box's messages may be stored now, and how many
        of its messages the minute that just ended did not store (to say so once)."""
        now = self.clock()
        with self._lock:
            minute = self._minutes.get(box_id)
            ended = 0
            if minute is None or now - minute.started >= MINUTE_S:
                ended = minute.not_stored if minute else 0
                minute = self._minutes[box_id] = _Minute(now)
            if minute.stored < self.per_minute:
                minute.stored += 1
                return True, ended
            minute.not_stored += 1
            if minute.not_stored == 1:
                log.warning(
                    "box %s: over %d messages set aside this minute; the rest are counted, "
                    "not stored",
                    box_id,
                    self.per_minute,
                )
            return False, ended
