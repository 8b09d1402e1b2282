"""When a child process that ended is started again, and when it is given up on.

As systemd does with ``RestartSec`` and ``StartLimitBurst``/``StartLimitIntervalSec``:
the pause before a new start doubles at each death up to a cap, and a child that dies
too often within an interval is given up on. A child that ran well for a while before
dying starts over from the first pause.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RestartPolicy:
    """The pauses between starts and the limit on deaths, in seconds."""

    first_pause: float = 1.0
    longest_pause: float = 30.0
    burst: int = 5
    interval: float = 60.0
    # Running longer than the longest pause means the last start worked: whatever ended
    # it is news, not the same fault again.
    steady: float = 30.0


@dataclass
class Restarts:
    """One child's recent deaths and the pause before its next start."""

    policy: RestartPolicy
    deaths: deque[float] = field(default_factory=deque)
    pause: float | None = None

    def after_death(self, at: float, ran_for: float) -> float | None:
        """Count a death at ``at``; return the pause before the next start, or None to give up."""
        self.deaths.append(at)
        while self.deaths[0] <= at - self.policy.interval:
            self.deaths.popleft()
        if len(self.deaths) >= self.policy.burst:
            return None
        if self.pause is None or ran_for >= self.policy.steady:
            self.pause = self.policy.first_pause
        else:
            self.pause = min(self.pause * 2, self.policy.longest_pause)
        return self.pause
