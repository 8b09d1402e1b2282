"""A neighbouring box's stolen credentials used to flood the hub with junk, at full speed.

A process of its own signs in on the boxes' TLS listener as an enrolled box (the broker
makes its username its client id, so a box's credentials give one connection at a time)
and publishes on that box's ``up`` topic whatever the broker lets through, in turn:

- unnumbered garbage (not JSON), at QoS 0 and at QoS 1;
- a bundle of 100 lines of garbage: each line is an envelope of its own to the receiver;
- JSON nested 100,000 levels deep (200 KB);
- a message over the link's 3 MiB but as big as the broker takes (``MAX_PACKET_BYTES``);
- a report numbered far ahead of the box's cursor, and reports under its next numbers
  with a body that cannot be applied.

It sends as fast as the broker takes — a QoS 0 message goes as soon as the socket has room,
and at most ``IN_FLIGHT`` QoS 1 messages wait for their PUBACK — or at most ``per_s``
messages a second, as a broker limiting each box's rate would let through.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import time
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode

from link import topics
from link.envelope import BUNDLE_MOST
from link.mqtt_link import BrokerAccess
from provisioning.broker_config import MAX_PACKET_BYTES

CONTEXT = multiprocessing.get_context("spawn")
READY_TIMEOUT_S = 60.0
IN_FLIGHT = 100
KINDS = ("garbage", "garbage_qos1", "bundle", "deep", "oversize", "far_ahead", "numbered")
# How often each kind comes in one turn of the cycle: the cheap ones most, as an attacker
# who wants the most messages through would; the big ones often enough to weigh.
CYCLE = (
    ["garbage"] * 40
    + ["garbage_qos1"] * 20
    + ["bundle"] * 5
    + ["far_ahead"] * 10
    + ["numbered"] * 10
    + ["deep"] * 2
    + ["oversize"]
)
QOS = {"garbage_qos1": 1, "oversize": 1, "numbered": 1}
# Counters shared with the parent: messages and bytes, in all and for each kind.
COUNTERS = 2 + 2 * len(KINDS)
# Over the link's 3 MiB, but the biggest payload the broker lets in with its topic and
# header: a bigger packet would only get the flooder disconnected.
OVERSIZE_BYTES = MAX_PACKET_BYTES - 1024


def _report(box_id: str, seq: int) -> bytes:
    body = {"report": {"id": "nothing", "building_id": "nowhere"}}
    envelope = {
        "v": 1,
        "id": f"junk-{seq}",
        "box": box_id,
        "seq": seq,
        "kind": "report.filed",
        "at": "2026-12-06T04:00:00",
        "body": body,
    }
    return json.dumps(envelope, separators=(",", ":")).encode()


class Junk:
    """The payloads of each kind, the numbered ones numbered anew each time."""

    def __init__(self, box_id: str) -> None:
        self.box_id = box_id
        self.fixed = {
            "garbage": b"\xff" * 1000,
            "garbage_qos1": b"\xfe" * 1000,
            "bundle": b"\n".join([b"x" * 50] * BUNDLE_MOST),
            "deep": b"[" * 100_000 + b"]" * 100_000,
            "oversize": b"x" * OVERSIZE_BYTES,
        }
        self.next_seq = itertools.count(1)
        self.far = itertools.count(10**6)

    def payload(self, kind: str) -> bytes:
        if kind == "far_ahead":
            return _report(self.box_id, next(self.far))
        if kind == "numbered":
            return _report(self.box_id, next(self.next_seq))
        return self.fixed[kind]


def _publish(client: mqtt.Client, topic: str, payload: bytes, qos: int) -> bool:
    """Publish once there is room; False when the connection is gone."""
    # Room in the socket for a QoS 0 message, a free slot for a QoS 1 one.
    while client.want_write():
        client.loop(timeout=0.01)
    while client.publish(topic, payload, qos=qos).rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
        if client.loop(timeout=0.01) != MQTTErrorCode.MQTT_ERR_SUCCESS:
            return False
    return True


def flood(access: BrokerAccess, seconds: float, per_s: float, counters, ready, go) -> None:
    """Child: connect, then flood the box's ``up`` topic for ``seconds`` once told to go, at
    ``per_s`` messages a second at most (0: as fast as the broker takes them)."""
    client = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2,
        client_id=access.client_id,
        protocol=mqtt.MQTTv5,
        reconnect_on_failure=False,
    )
    client.username_pw_set(access.username, access.password)
    client.tls_set(ca_certs=access.ca_file)
    client.max_inflight_messages_set(IN_FLIGHT)
    client.max_queued_messages_set(IN_FLIGHT)
    client.connect(access.host, access.port, keepalive=60)
    while not client.is_connected():
        client.loop(timeout=0.1)
    ready.set()
    go.wait()
    junk, topic = Junk(access.username), topics.up(access.username)
    started = time.monotonic()
    for sent, kind in enumerate(itertools.cycle(CYCLE)):
        due = started + sent / per_s if per_s else 0.0
        while (wait := due - time.monotonic()) > 0:
            client.loop(timeout=wait)
        if time.monotonic() >= started + seconds:
            break
        payload = junk.payload(kind)
        if not _publish(client, topic, payload, QOS.get(kind, 0)):
            return
        index = 2 + 2 * KINDS.index(kind)
        counters[0] += 1
        counters[1] += len(payload)
        counters[index] += 1
        counters[index + 1] += len(payload)
    client.disconnect()
    client.loop(timeout=1.0)


class Flooder:
    """The flooding process, connected when built, flooding once told to go."""

    def __init__(self, access: BrokerAccess, seconds: float, per_s: float = 0) -> None:
        self.counters = CONTEXT.Array("q", COUNTERS, lock=False)
        self.ready, self.go = CONTEXT.Event(), CONTEXT.Event()
        self.process = CONTEXT.Process(
            target=flood,
            args=(access, seconds, per_s, self.counters, self.ready, self.go),
            daemon=True,
        )
        self.process.start()
        if not self.ready.wait(READY_TIMEOUT_S):
            self.stop()
            raise RuntimeError("the flooder did not connect")

    def start(self) -> None:
        self.go.set()

    def stop(self) -> dict[str, Any]:
        """Wait for the end of the flood; return what was sent, in all and by kind."""
        self.go.set()
        self.process.join(30)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(10)
        counters = self.counters
        return {
            "messages": counters[0],
            "bytes": counters[1],
            "by_kind": {
                kind: {"messages": counters[2 + 2 * n], "bytes": counters[3 + 2 * n]}
                for n, kind in enumerate(KINDS)
            },
        }
