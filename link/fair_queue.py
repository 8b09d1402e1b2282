"""Received messages waiting to be applied: one queue per sender, taken in turn.

One queue for all would let a sender that floods the hub put its backlog ahead of every
other box's next report. Here each sender (a box, told by its topic) waits in a queue of
its own, bounded in messages and in bytes; a batch takes one message from each sender
in turn, and no more than a share of the batch from any one. What a sender sends beyond
its bound is dropped, and counted in a log line at most once a minute: a box's outbox
sends again, after ``link.sending_window.RESEND_AFTER_S``, whatever was not acknowledged, so nothing
of a real box is lost, and only a sender that outruns the hub by a whole window ever
meets the bound.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Container

log = logging.getLogger(__name__)

Message = tuple[str, bytes]
# The dropped messages are told this often at most: a flood would otherwise fill the log
# with one line per message.
TELL_EVERY_S = 60.0


class FairQueue:
    """Messages from several senders, each in a bounded queue of its own."""

    def __init__(
        self, sender_of: Callable[[str], str], most_messages: int, most_bytes: int
    ) -> None:
        self.sender_of = sender_of
        self.most_messages = most_messages
        self.most_bytes = most_bytes
        # Senders with messages waiting, in the order they are next served.
        self._queues: dict[str, deque[Message]] = {}
        self._bytes: Counter[str] = Counter()
        self._ready = threading.Condition()
        self._dropped: Counter[str] = Counter()
        self._told_at = float("-inf")

    def put(self, topic: str, envelopes: list[bytes]) -> int:
        """Queue the envelopes of one message, as many as its sender's queue has room for;
        return how many were dropped."""
        if not envelopes:
            return 0
        sender = self.sender_of(topic)
        with self._ready:
            queue = self._queues.setdefault(sender, deque())
            kept = 0
            for envelope in envelopes:
                size = self._bytes[sender] + len(envelope)
                # Something always goes in an empty queue, however big.
                if queue and (len(queue) >= self.most_messages or size > self.most_bytes):
                    break
                queue.append((topic, envelope))
                self._bytes[sender] = size
                kept += 1
            dropped = len(envelopes) - kept
            if dropped:
                self._dropped[sender] += dropped
            self._ready.notify()
        return dropped

    def take(
        self,
        most: int,
        wait: float,
        most_bytes: int,
        share_of: Callable[[str], int],
        resting: Container[str] = frozenset(),
    ) -> list[Message]:
        """Return up to ``most`` messages, waiting up to ``wait`` s for the first: one from
        each sender in turn, at most ``share_of(sender)`` from one, none from the senders
        ``resting``, no more once they hold ``most_bytes``. Each sender's messages stay in
        the order they came."""
        self._tell_dropped()
        batch: list[Message] = []
        size = 0
        with self._ready:
            if not self._ready.wait_for(lambda: self._serving(resting), wait):
                return batch
            taken: Counter[str] = Counter()
            turn = deque(self._serving(resting))
            while turn and len(batch) < most and size < most_bytes:
                sender = turn.popleft()
                queue = self._queues.pop(sender)
                batch.append(queue.popleft())
                size += len(batch[-1][1])
                self._bytes[sender] -= len(batch[-1][1])
                taken[sender] += 1
                if not queue:
                    del self._bytes[sender]
                    continue
                # Served: to the back of the line, for this batch while under its share,
                # and for the next.
                self._queues[sender] = queue
                if taken[sender] < share_of(sender):
                    turn.append(sender)
        return batch

    def _serving(self, resting: Container[str]) -> list[str]:
        return [sender for sender in self._queues if sender not in resting]

    def _tell_dropped(self) -> None:
        now = time.monotonic()
        if not self._dropped or now - self._told_at < TELL_EVERY_S:
            return
        with self._ready:
            dropped, self._dropped = self._dropped, Counter()
        self._told_at = now
        senders = ", ".join(f"{sender} {count}" for sender, count in dropped.most_common())
        log.warning(
            "received messages dropped, their senders' queues full (they are sent again if "
            "they were a box's own): %s",
            senders,
        )
