"""Messages that arrived ahead of their turn, fed back for a few seconds.

With several hub ingest processes sharing a box's messages, number 8 may reach one
process a moment before number 7 reaches another. Trying 8 again shortly lets it through
without waiting for the box to send it again; after a few seconds it is dropped, and the
box's own resending takes over.
"""

from __future__ import annotations

import time

Message = tuple[str, bytes]


class TryAgain:
    """Hold messages and give them back every ``every`` seconds, for ``for_at_most`` s.

    Used in a loop: ``due()``, apply what it gives, ``hold()`` what is still ahead.
    """

    def __init__(self, every: float = 0.1, for_at_most: float = 3.0) -> None:
        self.every = every
        self.for_at_most = for_at_most
        self._held: dict[Message, tuple[float, float]] = {}
        self._given_back: dict[Message, float] = {}

    def hold(self, messages: list[Message]) -> None:
        """Keep messages to try again (remembering when each was first held)."""
        now = time.monotonic()
        for message in messages:
            first = self._given_back.get(message, now)
            if now - first <= self.for_at_most:
                self._held[message] = (first, now + self.every)

    def due(self) -> list[Message]:
        """Return the messages whose turn to try again has come."""
        now = time.monotonic()
        self._given_back = {}
        for message, (first, at) in list(self._held.items()):
            if at <= now:
                del self._held[message]
                self._given_back[message] = first
        return list(self._given_back)
