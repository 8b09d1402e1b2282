"""A listener that counts how many times each numbered message crosses the broker.

The box agent sends a message again when the hub has not acknowledged it within
``link.sending_window.RESEND_AFTER_S``; the hub skips the copies. Signed in as the hub, without
the ingest's shared group, this listener sees every copy on the box's ``up`` topic, so
the catch-up can tell how much of the hub's work went to copies.
"""

from __future__ import annotations

import re
import threading

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from bench.link_processes import CONTEXT, READY_TIMEOUT_S
from link.mqtt_link import BrokerAccess

SEQ = re.compile(rb'"seq":(\d+)')


def listen(access: BrokerAccess, topic: str, counts, ready, stopping) -> None:
    """Child: count messages and distinct numbers on ``topic`` until told to stop."""
    seen: set[int] = set()
    total = 0
    subscribed = threading.Event()

    def on_message(_client, _userdata, message) -> None:
        nonlocal total
        # One MQTT message may carry several envelopes, one per line.
        for found in SEQ.finditer(message.payload):
            total += 1
            seen.add(int(found.group(1)))

    client = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2,
        client_id="bench-copy-counter",
        protocol=mqtt.MQTTv5,
    )
    client.username_pw_set(access.username, access.password)
    client.on_message = on_message
    client.on_connect = lambda client, *_: client.subscribe(topic, qos=1)
    client.on_subscribe = lambda *_: subscribed.set()
    client.connect(access.host, access.port, keepalive=30, clean_start=True)
    client.loop_start()
    if subscribed.wait(READY_TIMEOUT_S):
        ready.set()
    stopping.wait()
    client.disconnect()
    client.loop_stop()
    counts.put({"numbered_messages": total, "distinct_numbers": len(seen)})


class CopyCounter:
    """The listening process, ready when this returns."""

    def __init__(self, access: BrokerAccess, topic: str) -> None:
        self.counts = CONTEXT.Queue()
        self.ready, self.stopping = CONTEXT.Event(), CONTEXT.Event()
        self.process = CONTEXT.Process(
            target=listen,
            args=(access, topic, self.counts, self.ready, self.stopping),
            daemon=True,
        )
        self.process.start()
        if not self.ready.wait(READY_TIMEOUT_S):
            self.process.kill()
            raise RuntimeError("the copy counter did not subscribe")

    def stop(self) -> dict[str, int]:
        """Stop listening; return how many numbered messages went by, and how many numbers."""
        self.stopping.set()
        counts = self.counts.get(timeout=READY_TIMEOUT_S)
        self.process.join(10)
        return counts
