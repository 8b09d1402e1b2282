"""The box agent: the box's only MQTT client, its own process (``residacoeur box link``).

It sends the outbox to the hub and applies what the hub sends, in order and once
(link/inbox.py). On each connection it says "online" (retained, with the box's version;
the broker publishes the last will "offline" when the box disappears) and "hello" with
the number of the last hub message it applied, so the hub sends again what is missing.
Every minute it sends telemetry; every hour it tidies the box (``housekeeping``). At start,
every few hours and after what the hub sends, it sees to the box's certificate
(``certificate_upkeep``). Whoever runs it may be told when it is ready (its database
answers) and each time its loop turns, for a watchdog that restarts an agent stuck
somewhere.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from core import __version__
from core.config import defaults
from core.domain import cursor, disk_space, housekeeping, outbox, side
from core.domain.clock import new_id, utcnow
from core.storage.engine import writing
from core.storage.schema import peers
from link import certificate_upkeep, inbox, sending_window, topics
from link.control_bodies import Status, Telemetry, written
from link.envelope import STATUS, TELEMETRY, Envelope, bundle
from link.mqtt_link import BrokerAccess, MqttLink, Will, run_if_due

log = logging.getLogger(__name__)

DATABASE_RETRY_S = 1.0
HOUSEKEEPING_EVERY_S = 3600.0
CERTIFICATE_EVERY_S = 3 * 3600.0


def _status(box_id: str, online: bool) -> bytes:
    return Envelope(
        id=new_id(),
        box=box_id,
        kind=STATUS,
        at=utcnow().isoformat(),
        body=written(Status(online=online, version=__version__)),
    ).encode()


class BoxAgent:
    """Carries the box's side of the link until stopped."""

    def __init__(
        self,
        engine: Engine,
        box_id: str,
        access: BrokerAccess,
        data_dir: str,
        telemetry_every_s: float = 60.0,
        config: dict[str, Any] | None = None,
    ) -> None:
        self.engine = engine
        self.config = config or defaults()
        self.box_id = box_id
        self.data_dir = data_dir
        self.telemetry_every_s = telemetry_every_s
        self.started = time.monotonic()
        self._hello_due = threading.Event()
        self.mqtt = MqttLink(
            access,
            [topics.down(box_id)],
            on_connected=self._hello_due.set,
            will=Will(topics.status(box_id), _status(box_id, online=False)),
        )

    def run(
        self,
        stop: threading.Event,
        on_ready: Callable[[], None] = lambda: None,
        on_turn: Callable[[], None] = lambda: None,
    ) -> None:
        """Work until ``stop`` is set, then say "offline" and disconnect.

        ``on_ready`` is called once the database answers, before the broker is reached
        (a box without a network still runs); ``on_turn`` at each turn of the loop.
        """
        with self.engine.connect() as connection:
            cursor.applied_seq(connection, side.HUB)
        on_ready()
        self.mqtt.start()
        next_telemetry = next_housekeeping = next_certificate = time.monotonic()
        more_due = False
        try:
            while not stop.is_set():
                on_turn()
                # With more to send (a catch-up), only look at what has come in.
                batch = self.mqtt.take(500, wait=0 if more_due else 0.05)
                try:
                    if batch:
                        receipt = inbox.at_box_receive(self.engine, self.box_id, batch)
                        for topic, payload in receipt.replies:
                            self.mqtt.publish(topic, payload, qos=inbox.ACK_QOS)
                        # A name or a chain may have come.
                        next_certificate = time.monotonic()
                    if time.monotonic() >= next_certificate:
                        self._see_to_certificate()
                        next_certificate = time.monotonic() + CERTIFICATE_EVERY_S
                    run_if_due(self._hello_due, self._say_hello)
                    connected = self.mqtt.connected.is_set()
                    more_due = connected and self._send_due()
                    if connected and time.monotonic() >= next_telemetry:
                        self._send_telemetry()
                        next_telemetry = time.monotonic() + self.telemetry_every_s
                    if time.monotonic() >= next_housekeeping:
                        with writing(self.engine) as connection:
                            done = housekeeping.run(connection, self.config)
                        log.info("housekeeping: %s", done)
                        next_housekeeping = time.monotonic() + HOUSEKEEPING_EVERY_S
                except SQLAlchemyError:
                    # A full disk or a lock held too long: what was received is not
                    # acknowledged and comes again.
                    log.exception("database error; %d messages left to come again", len(batch))
                    stop.wait(DATABASE_RETRY_S)
        finally:
            self.mqtt.publish(topics.status(self.box_id), _status(self.box_id, False), retain=True)
            self.mqtt.stop()

    def _see_to_certificate(self) -> None:
        renew_before = timedelta(days=self.config["certificate_renew_days"])
        try:
            certificate_upkeep.run(self.engine, self.box_id, self.data_dir, renew_before, utcnow())
        except OSError:
            # The TLS folder could not be written (a full disk): the chain waits in the
            # database and is installed at the next try.
            log.exception("the box's certificate could not be seen to")

    def _say_hello(self) -> None:
        self.mqtt.publish(
            topics.status(self.box_id), _status(self.box_id, online=True), retain=True
        )
        with writing(self.engine) as connection:
            # Whatever was out when the link dropped goes again, in order.
            outbox.send_again(connection, side.HUB)
            applied = cursor.applied_seq(connection, side.HUB)
        self.mqtt.publish(
            topics.up(self.box_id), inbox.hello(self.box_id, applied, __version__).encode()
        )

    def _send_due(self) -> bool:
        """Send what is due; return whether more may be due at once."""
        up = topics.up(self.box_id)
        rows = sending_window.take(self.engine)
        messages = [(up, inbox.outgoing(self.box_id, row)) for row in rows]
        for topic, payload in bundle(messages):
            if not self.mqtt.publish(topic, payload):
                # The link dropped: the next hello makes everything due again.
                return False
        return len(rows) == sending_window.AT_ONCE

    def _send_telemetry(self) -> None:
        with self.engine.connect() as connection:
            depth = outbox.depth(connection, side.HUB)
            applied = cursor.applied_seq(connection, side.HUB)
            last_sync = connection.execute(
                select(peers.c.acked_at).where(peers.c.id == side.HUB)
            ).scalar()
        figures = Telemetry(
            version=__version__,
            uptime_s=int(time.monotonic() - self.started),
            disk_free_bytes=disk_space.free_bytes(self.data_dir),
            outbox_depth=depth,
            last_sync_at=last_sync,
            # Where the box stands with the hub's messages: the hub checks it has them all.
            applied=applied,
        )
        envelope = Envelope(
            id=new_id(),
            box=self.box_id,
            kind=TELEMETRY,
            at=utcnow().isoformat(),
            body=written(figures),
        )
        self.mqtt.publish(topics.telemetry(self.box_id), envelope.encode(), qos=0)
