"""When the box runs short, video waits and sound goes on.

Forwarding runs on one event loop: when the processor cannot keep up, the loop falls
behind, and every packet waits. Its lateness is the measure: a short sleep that wakes
up late, several times in a row, means the box is short. Then every video outlet pauses
(audio, a few kbit/s each, goes on), and once the loop has been on time for a while the
video comes back, each place from a key frame.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

log = logging.getLogger("residacoeur.rooms")

# The loop looks at itself ten times a second.
LOOK_EVERY_S = 0.1
# Late by this much, this many times running: short.
LATE_S = 0.05
LATE_TIMES = 3
# On time (within this) for this long: video comes back.
ON_TIME_S = 0.01
CALM_S = 5.0


class Shortage:
    """Decides from the loop's lateness when video must wait and when it may come back."""

    def __init__(self) -> None:
        self.short = False
        self._late_times = 0
        self._on_time_since: float | None = None

    def observe(self, lateness: float, now: float) -> str | None:
        """Take one measure of lateness; "pause" or "resume" when the state changes."""
        if lateness > LATE_S:
            self._late_times += 1
            self._on_time_since = None
            if not self.short and self._late_times >= LATE_TIMES:
                self.short = True
                return "pause"
            return None
        self._late_times = 0
        if lateness > ON_TIME_S:
            self._on_time_since = None
            return None
        if self._on_time_since is None:
            self._on_time_since = now
        if self.short and now - self._on_time_since >= CALM_S:
            self.short = False
            return "resume"
        return None


async def watch(pause: Callable[[], None], resume: Callable[[], None]) -> None:
    """Measure the loop's lateness for ever, pausing and resuming video as it says."""
    loop = asyncio.get_running_loop()
    shortage = Shortage()
    while True:
        started = loop.time()
        await asyncio.sleep(LOOK_EVERY_S)
        now = loop.time()
        change = shortage.observe(now - started - LOOK_EVERY_S, now)
        if change == "pause":
            log.warning("the box is short: video paused, sound goes on")
            pause()
        elif change == "resume":
            log.info("the box keeps up again: video back")
            resume()
