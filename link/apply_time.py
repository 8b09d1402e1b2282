"""How much of a hub ingest's time each box's messages applied apart take: in all, and
at a stretch.

A box that sends its whole share of a batch has its messages applied apart, in a
transaction of their own (link/ingest.py). If they are junk, read and refused one by
one, two things go wrong. The other boxes' next messages wait for that transaction to
end: so a box's share is as many messages as take about ``stretch`` seconds at what its
last ones cost (a real box's reports cost a tenth of a millisecond each in grouped
writes, junk refused one by one on PostgreSQL up to 2.5 ms). And the ingest is kept
busy with nothing else: its network thread, which reads every box's messages from the
broker, then waits for the interpreter lock, and the broker's stream to the ingest falls
seconds behind for all boxes. So each box earns
``rate`` seconds of the ingest's time a second, up to ``burst``, and spends what its
messages applied apart take; a box in debt rests, its messages left queued (and what it
sends beyond its queue's bound dropped, link/fair_queue.py) until it has earned the time
back. A box catching up spends little: its reports go in grouped writes, 10,000 in about
a second. What a box's messages take in a batch shared with other boxes is not counted.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class ApplyTime:
    """Each box's balance of the ingest's time, in seconds, and what its messages cost."""

    def __init__(
        self,
        rate: float,
        burst: float,
        stretch: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.stretch = stretch
        self.clock = clock
        # Only boxes that spent some lately: (balance, when it was that).
        self._balances: dict[str, tuple[float, float]] = {}
        # Seconds a message, the last time the box's messages were applied apart.
        self._costs: dict[str, float] = {}

    def spend(self, box_id: str, seconds: float, messages: int) -> None:
        """Count ``seconds`` of the ingest's time against the box, for ``messages``."""
        now = self.clock()
        self._balances[box_id] = (self._balance(box_id, now) - seconds, now)
        self._costs[box_id] = seconds / max(1, messages)

    def share(self, box_id: str, most: int) -> int:
        """How many of the box's messages to apply at a stretch, ``most`` at most."""
        cost = self._costs.get(box_id)
        if not cost:
            return most
        return max(1, min(most, int(self.stretch / cost)))

    def resting(self) -> frozenset[str]:
        """Return the boxes in debt: their messages wait until they have earned time back."""
        now = self.clock()
        for box_id in [box for box in self._balances if self._balance(box, now) >= self.burst]:
            del self._balances[box_id]
            self._costs.pop(box_id, None)
        return frozenset(box for box in self._balances if self._balance(box, now) < 0)

    def _balance(self, box_id: str, now: float) -> float:
        balance, then = self._balances.get(box_id, (self.burst, now))
        return min(self.burst, balance + (now - then) * self.rate)
