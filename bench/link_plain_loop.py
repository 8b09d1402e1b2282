"""The yardstick of the catch-up: a plain paho QoS 1 publish loop and one subscriber.

The same messages (the box's own envelopes, byte for byte) go from the box's broker
account to a subscriber signed in as the hub, each side in its own process, with the
MQTT settings of ``link.mqtt_link`` (MQTT v5, 200 messages in flight). No database, no
acknowledgement beyond the broker's PUBACK: what the link adds is measured against it.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from bench.link_processes import CONTEXT, READY_TIMEOUT_S
from link.mqtt_link import BrokerAccess

IN_FLIGHT = 200


def _client(access: BrokerAccess, client_id: str) -> mqtt.Client:
    client = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2,
        client_id=client_id,
        protocol=mqtt.MQTTv5,
    )
    client.username_pw_set(access.username, access.password)
    client.max_inflight_messages_set(IN_FLIGHT)
    client.max_queued_messages_set(0)
    return client


def _connect(client: mqtt.Client, access: BrokerAccess, connected: threading.Event) -> None:
    client.on_connect = lambda *_: connected.set()
    client.connect(access.host, access.port, keepalive=30, clean_start=True)
    client.loop_start()
    if not connected.wait(READY_TIMEOUT_S):
        raise TimeoutError("the broker did not answer the connection")


def subscribe_all(access: BrokerAccess, topic: str, expected: int, done, ready, go) -> None:
    """Child: receive ``expected`` messages on ``topic``; put the time of the last in done.

    With it goes the CPU time the process spent since it was ready, all threads.
    """
    client = _client(access, "bench-plain-subscriber")
    count = 0
    finished = threading.Event()
    subscribed = threading.Event()

    def on_message(_client, _userdata, _message) -> None:
        nonlocal count
        count += 1
        if count == expected:
            done.put((time.time(), time.process_time() - cpu_at_start))
            finished.set()

    client.on_message = on_message
    client.on_subscribe = lambda *_: subscribed.set()
    _connect(client, access, threading.Event())
    client.subscribe(topic, qos=1)
    subscribed.wait(READY_TIMEOUT_S)
    cpu_at_start = time.process_time()
    ready.set()
    finished.wait(READY_TIMEOUT_S * 10)
    client.disconnect()
    client.loop_stop()


def publish_all(access: BrokerAccess, topic: str, payloads: list[bytes], done, ready, go) -> None:
    """Child: publish every payload at QoS 1; put the time of the last PUBACK in done."""
    # As the box itself: the broker refuses a box under any client id but its own.
    client = _client(access, access.client_id)
    acknowledged = 0
    finished = threading.Event()

    def on_publish(_client, _userdata, _mid, _reason, _properties) -> None:
        nonlocal acknowledged
        acknowledged += 1
        if acknowledged == len(payloads):
            done.put((time.time(), time.process_time() - cpu_at_start))
            finished.set()

    client.on_publish = on_publish
    _connect(client, access, threading.Event())
    ready.set()
    go.wait()
    cpu_at_start = time.process_time()
    for payload in payloads:
        client.publish(topic, payload, qos=1)
    finished.wait(READY_TIMEOUT_S * 10)
    client.disconnect()
    client.loop_stop()


def run(box: BrokerAccess, hub: BrokerAccess, topic: str, payloads: list[bytes]) -> dict[str, Any]:
    """Send the payloads once through the plain loop; return its time and rate."""
    received, acknowledged = CONTEXT.Queue(), CONTEXT.Queue()
    events = {name: CONTEXT.Event() for name in ("sub_ready", "pub_ready", "go")}
    subscriber = CONTEXT.Process(
        target=subscribe_all,
        args=(hub, topic, len(payloads), received, events["sub_ready"], events["go"]),
        daemon=True,
    )
    publisher = CONTEXT.Process(
        target=publish_all,
        args=(box, topic, payloads, acknowledged, events["pub_ready"], events["go"]),
        daemon=True,
    )
    try:
        subscriber.start()
        if not events["sub_ready"].wait(READY_TIMEOUT_S):
            raise TimeoutError("the plain subscriber was not ready")
        publisher.start()
        if not events["pub_ready"].wait(READY_TIMEOUT_S):
            raise TimeoutError("the plain publisher was not ready")
        started = time.time()
        events["go"].set()
        last_received, subscriber_cpu = received.get(timeout=READY_TIMEOUT_S * 10)
        last_acknowledged, publisher_cpu = acknowledged.get(timeout=READY_TIMEOUT_S * 10)
    finally:
        for process in (publisher, subscriber):
            process.join(10)
            if process.is_alive():
                process.kill()
    seconds = max(last_received, last_acknowledged) - started
    return {
        "seconds": round(seconds, 3),
        "messages_per_s": round(len(payloads) / seconds),
        "publisher_cpu_s": round(publisher_cpu, 2),
        "subscriber_cpu_s": round(subscriber_cpu, 2),
    }
