"""One MQTT v5 connection to the broker, kept up with capped, jittered back-off.

paho-mqtt 2.x with callback API version 2. The session survives disconnections
(``clean_start`` false, a session expiry of days) so the broker keeps what arrives while
the process is away; but paho's own queue is in memory, so the database's outbox is what
really holds undelivered messages. Received messages wait in one bounded queue per sender
(link/fair_queue.py), which the process drains in batches, one transaction per batch.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import random
import ssl
import threading
import time
from collections.abc import Callable, Container
from dataclasses import dataclass

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from link.envelope import unbundle
from link.fair_queue import FairQueue

log = logging.getLogger(__name__)

SESSION_EXPIRY_S = 7 * 24 * 3600
FIRST_RETRY_S = 0.5
LONGEST_RETRY_S = 60.0
# What one sender may have waiting to be applied: what a sender has out at most
# (link.sending_window.WINDOW, WINDOW_BYTES) and a message of the largest size besides.
SENDER_MESSAGES = 4000
SENDER_BYTES = 8 * 1024 * 1024 + 3 * 1024 * 1024


@dataclass(frozen=True)
class BrokerAccess:
    """Where the broker is and who we are to it."""

    host: str
    port: int
    username: str
    password: str
    client_id: str
    ca_file: str | None = None


@dataclass(frozen=True)
class Will:
    topic: str
    payload: bytes


def backoff(attempt: int, first: float = FIRST_RETRY_S, longest: float = LONGEST_RETRY_S) -> float:
    """Return the wait before reconnection attempt ``attempt`` (0, 1, 2…): "full jitter".

    Spread at random between zero and a doubling cap, so a thousand boxes cut off by the
    same outage do not all come back in the same second.
    """
    return random.uniform(0, min(longest, first * 2**attempt))


class MqttLink:
    """An MQTT v5 client whose network loop runs in its own thread."""

    def __init__(
        self,
        access: BrokerAccess,
        subscriptions: list[str],
        on_connected: Callable[[], None] = lambda: None,
        will: Will | None = None,
        shared_session: bool = False,
        refuse_retained: Callable[[str], bool] = lambda _topic: False,
        sender_of: Callable[[str], str] = lambda topic: topic,
    ) -> None:
        self.access = access
        self.subscriptions = subscriptions
        self.on_connected = on_connected
        # ``sender_of`` tells who sent a message by its topic.
        self.received = FairQueue(sender_of, SENDER_MESSAGES, SENDER_BYTES)
        # Retained messages on topics where none belongs, set apart unread: the broker
        # would hand the same one over again at every subscription.
        self.refuse_retained = refuse_retained
        self.retained: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self.connected = threading.Event()
        self._stop = threading.Event()
        self._connections = 0
        client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=access.client_id,
            protocol=mqtt.MQTTv5,
        )
        client.username_pw_set(access.username, access.password)
        if access.ca_file:
            client.tls_set(ca_certs=access.ca_file, tls_version=ssl.PROTOCOL_TLS_CLIENT)
        if will is not None:
            client.will_set(will.topic, will.payload, qos=1, retain=True)
        # Many messages may be out at once: the outbox, not paho, limits them.
        client.max_inflight_messages_set(200)
        client.max_queued_messages_set(0)
        # Only the network thread touches the socket: without this, paho writes a message
        # from the thread that publishes it, and two threads would share one TLS session.
        # Registering a "socket wants writing" callback makes paho wake the network
        # thread instead.
        client.on_socket_register_write = _network_thread_writes
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        self._client = client
        # Hub ingest processes share one subscription: their own sessions need not last.
        self._session_expiry = 0 if shared_session else SESSION_EXPIRY_S
        self._thread = threading.Thread(target=self._run, name="mqtt", daemon=True)

    def start(self) -> None:
        """Connect in the background, and keep connecting."""
        self._thread.start()

    def stop(self) -> None:
        """Disconnect cleanly (the broker does not send the last will) and stop."""
        self._stop.set()
        # Already gone is fine when stopping.
        with contextlib.suppress(Exception):
            self._client.disconnect()
        self._thread.join(timeout=5)

    def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False) -> bool:
        """Hand a message to the broker connection; False when the link is down."""
        if not self.connected.is_set():
            return False
        info = self._client.publish(topic, payload, qos=qos, retain=retain)
        return info.rc == MQTTErrorCode.MQTT_ERR_SUCCESS

    def _run(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            try:
                properties = Properties(PacketTypes.CONNECT)
                properties.SessionExpiryInterval = self._session_expiry
                self._client.connect(
                    self.access.host,
                    self.access.port,
                    keepalive=30,
                    clean_start=False,
                    properties=properties,
                )
            except (OSError, ssl.SSLError) as error:
                delay = backoff(attempt)
                attempt += 1
                log.info("broker unreachable (%s); next try in %.1f s", error, delay)
                self._stop.wait(delay)
                continue
            connections = self._connections
            while not self._stop.is_set():
                code = self._client.loop(timeout=0.5)
                if code != MQTTErrorCode.MQTT_ERR_SUCCESS:
                    break
            # The broker accepted us since the last try: waits start small again.
            if self._connections > connections:
                attempt = 0
            self.connected.clear()
            if not self._stop.is_set():
                delay = backoff(attempt)
                attempt += 1
                log.info("link to the broker lost; next try in %.1f s", delay)
                self._stop.wait(delay)

    def _on_connect(self, client, _userdata, _flags, reason_code, _properties) -> None:
        if reason_code.is_failure:
            log.error("broker refused the connection: %s", reason_code)
            return
        for topic in self.subscriptions:
            client.subscribe(topic, qos=1)
        self._connections += 1
        self.connected.set()
        log.info("connected to the broker at %s:%s", self.access.host, self.access.port)
        self.on_connected()

    def _on_disconnect(self, _client, _userdata, _flags, reason_code, _properties) -> None:
        self.connected.clear()
        log.info("disconnected from the broker: %s", reason_code)

    def _on_message(self, _client, _userdata, message) -> None:
        if not message.payload:
            # What clears a retained message: it carries nothing to apply or keep.
            log.info("empty message on %s ignored", message.topic)
            return
        if message.retain and self.refuse_retained(message.topic):
            self.retained.put((message.topic, message.payload))
            return
        self.received.put(message.topic, unbundle(message.payload))

    def take(
        self,
        most: int,
        wait: float,
        most_bytes: int = 8 << 20,
        share_of: Callable[[str], int] | None = None,
        resting: Container[str] = frozenset(),
    ) -> list[tuple[str, bytes]]:
        """Return up to ``most`` received messages, waiting up to ``wait`` s for the first;
        no more once they hold ``most_bytes`` (photos are big), nor more than ``share_of(sender)``
        from one sender (all ``most`` if not said), and none from the senders ``resting``."""
        return self.received.take(
            most, wait, most_bytes, share_of or (lambda _sender: most), resting
        )


def _network_thread_writes(_client, _userdata, _sock) -> None:
    """Nothing to do: the network thread's select() already watches for writing."""


def run_if_due(due: threading.Event, action: Callable[[], None]) -> None:
    """Run ``action`` once if ``due`` is set (say, on each new connection); if it fails,
    it stays due for the next pass."""
    if not due.is_set():
        return
    due.clear()
    try:
        action()
    except BaseException:
        due.set()
        raise


def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    """Wait for a condition, up to a timeout; return whether it came true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()
