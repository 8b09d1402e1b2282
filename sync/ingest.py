"""A hub ingest process (``residacoeur hub ingest``): applies what boxes send, answers them.

Several can run side by side: they share the boxes' topics through an MQTT v5 shared
subscription, keep no state outside the database, and the per-box numbering in the
database lets exactly one of them apply each message. Each also sends the hub's outbox
to the boxes; a copy sent twice by two processes is applied once by the box.

The broker keeps nothing for an ingest that is away, so what boxes sent meanwhile is
gone: on each (re)connection the ingest says hello to every box, which sends again at
once whatever the hub has not acknowledged.
"""

from __future__ import annotations

import logging
import queue
import threading
import time

from sqlalchemy import Engine, select

from appliance.storage.engine import writing
from appliance.storage.schema import boxes, peers
from sync import due, inbox, received, set_aside_budget, topics
from sync.envelope import bundle
from sync.mqtt_link import BrokerAccess, MqttLink, run_if_due

log = logging.getLogger(__name__)

SEND_EVERY_S = 0.1
# What was received under numbers long applied is forgotten this often (sync/received.py).
FORGET_EVERY_S = 3600.0
# Per batch: one transaction, a few statements per table, and one acknowledgement per
# box however many of its messages the batch holds. With a thousand boxes, a batch of
# 500 holds about one message per box, and each message costs its own acknowledgement;
# 2,000 share them and carry a fleet at more than 2,000 messages a second (PERFORMANCE).
# A quiet hub takes what has come, so this costs no waiting.
BATCH_MESSAGES = 2000
DATABASE_RETRY_S = 1.0


class HubIngest:
    """Carries the hub's side of the link until stopped."""

    def __init__(self, engine: Engine, access: BrokerAccess, shared: bool = True) -> None:
        self.engine = engine
        # What one box may have stored aside a minute, in this process.
        self.budget = set_aside_budget.Budget()
        self._hello_due = threading.Event()
        self.mqtt = MqttLink(
            access,
            topics.hub_subscriptions(shared),
            on_connected=self._hello_due.set,
            shared_session=True,
            refuse_retained=topics.retained_unwanted,
        )

    def run(self, stop: threading.Event) -> None:
        """Work until ``stop`` is set."""
        self.mqtt.start()
        next_send = time.monotonic()
        next_forget = time.monotonic()
        try:
            while not stop.is_set():
                batch = self.mqtt.take(BATCH_MESSAGES, wait=0.02)
                try:
                    if batch:
                        receipt = inbox.at_hub_receive(self.engine, batch, self.budget)
                        for topic, payload in receipt.replies:
                            self.mqtt.publish(topic, payload, qos=inbox.ACK_QOS)
                    self._clear_retained()
                    run_if_due(self._hello_due, self._say_hello)
                    if self.mqtt.connected.is_set() and time.monotonic() >= next_send:
                        self._send_due()
                        next_send = time.monotonic() + SEND_EVERY_S
                    if time.monotonic() >= next_forget:
                        with writing(self.engine) as connection:
                            received.forget_old(connection)
                        next_forget = time.monotonic() + FORGET_EVERY_S
                except Exception:
                    # The database is away or gave up on a lock, or the ingest has a fault
                    # of its own (each message's errors are caught where it is applied):
                    # nothing of this batch was acknowledged, the boxes send it again, and
                    # the other boxes must not lose their hub meanwhile. Keep going.
                    log.exception("%d messages not applied; the boxes send them again", len(batch))
                    stop.wait(DATABASE_RETRY_S)
        finally:
            self.mqtt.stop()

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
            for row in due.take(self.engine, away)
        ]
        for topic, payload in bundle(messages):
            if not self.mqtt.publish(topic, payload):
                break
