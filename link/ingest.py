"""A hub ingest process (``residacoeur hub ingest``): applies what boxes send, answers them.

Several can run side by side: they share the boxes' topics through an MQTT v5 shared
subscription, keep no state outside the database, and the per-box numbering in the
database lets exactly one of them apply each message. Each also sends the hub's outbox
to the boxes; a copy sent twice by two processes is applied once by the box.

The broker keeps nothing for an ingest that is away, so what boxes sent meanwhile is
gone: on each (re)connection the ingest says hello to every box, which sends again at
once whatever the hub has not acknowledged.

What arrives waits in one bounded queue per box, taken in turn (link/fair_queue.py), and
a box that sends more than its share is applied apart: someone flooding the hub with a
box's credentials does not hold up the other boxes' reports.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import Engine, select

from core.domain import housekeeping
from core.storage.engine import writing
from core.storage.schema import boxes, peers
from link import inbox, received, sending_window, set_aside_budget, topics
from link.apply_time import ApplyTime
from link.envelope import bundle
from link.mqtt_link import BrokerAccess, MqttLink, run_if_due

log = logging.getLogger(__name__)

SEND_EVERY_S = 0.1
# What was received under numbers long applied is forgotten this often (link/received.py).
FORGET_EVERY_S = 3600.0
# Per batch: one transaction, a few statements per table, and one acknowledgement per
# box however many of its messages the batch holds. With a thousand boxes, a batch of
# 500 holds about one message per box, and each message costs its own acknowledgement;
# 2,000 share them and carry a fleet at more than 2,000 messages a second (PERFORMANCE).
# A quiet hub takes what has come, so this costs no waiting.
BATCH_MESSAGES = 2000
# Nor more than this from one box, and a box that sent that many is applied in a
# transaction of its own, after the others: its messages may be junk from someone holding
# its credentials, applied one by one (link/inbox.py), and the other boxes' acknowledgements
# must not wait for them. A box catching up sends this many at once (link.sending_window.AT_ONCE).
BOX_SHARE = 500
DATABASE_RETRY_S = 1.0
# How long the applying thread may hold the interpreter lock while the network thread
# waits for it (Python's default is 5 ms). The network thread takes the lock again after
# each read of the broker's socket; while a box floods the hub and the applying thread is
# busy with its junk, 5 ms at each read let the broker's queue to this process grow to
# seconds, and every box's messages wait in it (docs/PERFORMANCE.md, "A neighbour's
# credentials flood the hub").
LOCK_TURN_S = 0.0005
# Of this process's time, what a box whose messages are applied apart may take: a quarter,
# and two seconds at a stretch (link/apply_time.py). The rest goes to the network thread
# and the other boxes; a box catching up needs about a second for 10,000 reports.
BOX_TIME_SHARE = 0.25
BOX_TIME_BURST_S = 2.0
# And at most this long at a stretch, at what its last messages cost: the other boxes'
# messages wait for no longer.
BOX_STRETCH_S = 0.1


class HubIngest:
    """Carries the hub's side of the link until stopped."""

    def __init__(self, engine: Engine, access: BrokerAccess, shared: bool = True) -> None:
        self.engine = engine
        # What one box may have stored aside a minute, in this process.
        self.budget = set_aside_budget.Budget()
        self.apply_time = ApplyTime(BOX_TIME_SHARE, BOX_TIME_BURST_S, BOX_STRETCH_S)
        self._hello_due = threading.Event()
        self.mqtt = MqttLink(
            access,
            topics.hub_subscriptions(shared),
            on_connected=self._hello_due.set,
            shared_session=True,
            refuse_retained=topics.retained_unwanted,
            sender_of=_box_of,
        )

    def run(self, stop: threading.Event) -> None:
        """Work until ``stop`` is set."""
        sys.setswitchinterval(LOCK_TURN_S)
        self.mqtt.start()
        next_send = time.monotonic()
        next_forget = time.monotonic()
        try:
            while not stop.is_set():
                batch = self.mqtt.take(
                    BATCH_MESSAGES,
                    wait=0.02,
                    share_of=self._share_of,
                    resting=self.apply_time.resting(),
                )
                parts = _parts(batch, self._share_of)
                try:
                    while parts:
                        self._apply(*parts[0])
                        parts.pop(0)
                    self._clear_retained()
                    run_if_due(self._hello_due, self._say_hello)
                    if self.mqtt.connected.is_set() and time.monotonic() >= next_send:
                        self._send_due()
                        next_send = time.monotonic() + SEND_EVERY_S
                    if time.monotonic() >= next_forget:
                        with writing(self.engine) as connection:
                            received.forget_old(connection)
                            # The hub has no housekeeping of its own for its staff's sign-ins.
                            housekeeping.signing_in(connection)
                        next_forget = time.monotonic() + FORGET_EVERY_S
                except Exception:
                    # The database is away or gave up on a lock, or the ingest has a fault
                    # of its own (each message's errors are caught where it is applied):
                    # nothing of the rest of this batch was acknowledged, the boxes send it
                    # again, and the other boxes must not lose their hub meanwhile. Keep going.
                    left = sum(len(messages) for _box, messages in parts)
                    log.exception("%d messages not applied; the boxes send them again", left)
                    stop.wait(DATABASE_RETRY_S)
        finally:
            self.mqtt.stop()

    def _share_of(self, box_id: str) -> int:
        return self.apply_time.share(box_id, BOX_SHARE)

    def _apply(self, box_id: str | None, messages: list[inbox.Message]) -> None:
        """Apply a part of a batch and acknowledge it; count the time of a box's own part."""
        started = time.monotonic()
        receipt = inbox.at_hub_receive(self.engine, messages, self.budget)
        for topic, payload in receipt.replies:
            self.mqtt.publish(topic, payload, qos=inbox.ACK_QOS)
        if box_id is not None:
            self.apply_time.spend(box_id, time.monotonic() - started, len(messages))

    def _clear_retained(self) -> None:
        """Keep aside each retained message found where none belongs, and clear it."""
        while True:
            try:
                topic, payload = self.mqtt.retained.get_nowait()
            except queue.Empty:
                return
            with writing(self.engine) as connection:
                inbox.keep_aside(connection, topic, "a retained message, cleared", payload)
            self.mqtt.publish(topic, b"", qos=1, retain=True)

    def _say_hello(self) -> None:
        """Tell each box where the hub stands with its messages."""
        # Every box, not only those the hub holds online: after a broker restart their
        # "online" may reach the hub only after this. At QoS 0 the broker drops what is
        # for a box not connected, and one lost costs only the wait for the box's resend.
        with self.engine.connect() as connection:
            standing = connection.execute(
                select(boxes.c.id, peers.c.applied_seq, peers.c.resume_from).join(
                    peers, peers.c.id == boxes.c.id
                )
            ).all()
        for box_id, applied, resume_from in standing:
            hello = inbox.hub_hello(box_id, applied, resume_from).encode()
            if not self.mqtt.publish(topics.down(box_id), hello, qos=0):
                return

    def _send_due(self) -> None:
        # Boxes the broker said are offline get nothing: copies would pile up in their
        # broker session, and they say hello when they come back.
        with self.engine.connect() as connection:
            away = frozenset(
                connection.execute(select(boxes.c.id).where(boxes.c.online.is_(False))).scalars()
            )
        messages = [
            (topics.down(row["peer_id"]), inbox.outgoing(row["peer_id"], row))
            for row in sending_window.take(self.engine, away)
        ]
        for topic, payload in bundle(messages):
            if not self.mqtt.publish(topic, payload):
                break


def _parts(
    batch: list[inbox.Message], share_of: Callable[[str], int]
) -> list[tuple[str | None, list[inbox.Message]]]:
    """Split a batch into the transactions it is applied in: the boxes that sent less than
    their share together, first; then each box that sent its whole share, alone (named)."""
    by_box: dict[str, list[inbox.Message]] = defaultdict(list)
    for message in batch:
        by_box[_box_of(message[0])].append(message)
    apart = {box for box, messages in by_box.items() if len(messages) >= share_of(box)}
    few = [message for box, messages in by_box.items() if box not in apart for message in messages]
    many = [(box, by_box[box]) for box in by_box if box in apart]
    return ([(None, few)] if few else []) + many


def _box_of(topic: str) -> str:
    """The box whose branch a topic is on; the topic itself if it is on none."""
    where = topics.box_of(topic)
    return where[0] if where else topic
