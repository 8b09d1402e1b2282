"""Simulated boxes for the fleet benchmark: many paho clients in one process, one event loop.

Each simulated box signs in with its own broker credentials, says "online" (retained,
with a last will "offline") and listens to its own ``down`` topic, like the box agent.
It then sends a report every ``report_every_s`` seconds (``bench/link_fleet_messages.py``)
and telemetry every ``telemetry_every_s`` seconds, at QoS 0 like the agent. Like the agent,
it keeps at most ``window`` reports unacknowledged by the hub: when the hub falls behind,
the boxes wait, as real outboxes would fill. Unlike the agent, it never sends a report
again: what an overloaded hub would also receive as copies is left out.

Threads are not used: a thousand clients with a network thread each would spend the
machine's two cores switching between them. One selector loop serves a process's
clients through paho's ``loop_read``/``loop_write``/``loop_misc``.
"""

from __future__ import annotations

import contextlib
import heapq
import json
import random
import selectors
import time
from collections.abc import Callable
from dataclasses import dataclass

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from bench import link_fleet_messages as messages
from bench.link_estate import FleetBox
from link import topics

KEEPALIVE_S = 60
# Counters each process shares with the benchmark (a ctypes array, written by the loop).
REPORTS_DUE, REPORTS_SENT, TELEMETRY_SENT, ACKS_RECEIVED, CONNECTED, LOST, HELD = range(7)
COUNTERS = 7


@dataclass(frozen=True)
class Pace:
    report_every_s: float
    telemetry_every_s: float
    window: int


class SimulatedBox:
    """One box's MQTT client and where it stands with the hub."""

    def __init__(
        self, box: FleetBox, window: int, counters, on_room: Callable[[SimulatedBox], None]
    ) -> None:
        self.box = box
        self.window = window
        self.counters = counters
        self.on_room = on_room
        self.sent = 0
        self.applied = 0
        # Reports due but held back because the window is full.
        self.pending = 0
        self.telemetry_sent = 0
        self.connected = False
        self.dwellings = messages.dwellings_of(box)
        client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=box.box_id,
            protocol=mqtt.MQTTv5,
            reconnect_on_failure=False,
        )
        client.username_pw_set(box.box_id, box.password)
        client.will_set(topics.status(box.box_id), messages.status(box, False), qos=1, retain=True)
        client.max_inflight_messages_set(200)
        client.max_queued_messages_set(0)
        client.on_connect = self._on_connect
        client.on_message = self._on_message
        client.on_disconnect = self._on_disconnect
        self.client = client

    def connect(self, host: str, port: int) -> None:
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = 0
        self.client.connect(
            host, port, keepalive=KEEPALIVE_S, clean_start=True, properties=properties
        )

    @property
    def outstanding(self) -> int:
        return self.sent - self.applied

    def report_due(self) -> None:
        """A tenant files a report: it goes now, or waits for room in the window."""
        self.counters[REPORTS_DUE] += 1
        if self.pending == 0 and self.outstanding < self.window:
            self.send_report()
        else:
            self.pending += 1
            self.counters[HELD] += 1

    def send_waiting(self) -> None:
        """Send the reports held back, as far as the window allows."""
        while self.pending and self.outstanding < self.window:
            self.pending -= 1
            self.send_report()

    def send_report(self) -> None:
        self.sent += 1
        dwelling = self.dwellings[self.sent % len(self.dwellings)]
        payload = messages.report_filed(self.box, self.sent, dwelling)
        self.client.publish(topics.up(self.box.box_id), payload, qos=1)
        self.counters[REPORTS_SENT] += 1

    def send_telemetry(self) -> None:
        self.telemetry_sent += 1
        payload = messages.telemetry(self.box, self.telemetry_sent, self.outstanding)
        self.client.publish(topics.telemetry(self.box.box_id), payload, qos=0)
        self.counters[TELEMETRY_SENT] += 1

    def _on_connect(self, client, _userdata, _flags, reason_code, _properties) -> None:
        if reason_code.is_failure:
            return
        client.subscribe(topics.down(self.box.box_id), qos=1)
        online = messages.status(self.box, True)
        client.publish(topics.status(self.box.box_id), online, qos=1, retain=True)
        self.connected = True
        self.counters[CONNECTED] += 1

    def _on_message(self, _client, _userdata, message) -> None:
        # Only the hub's acknowledgements come down in this benchmark.
        applied = json.loads(message.payload)["body"]["applied"]
        self.applied = max(self.applied, applied)
        self.counters[ACKS_RECEIVED] += 1
        if self.pending:
            self.on_room(self)

    def _on_disconnect(self, _client, _userdata, _flags, _reason_code, _properties) -> None:
        if self.connected:
            self.connected = False
            self.counters[CONNECTED] -= 1
            self.counters[LOST] += 1


class Loop:
    """One selector loop serving all the process's clients."""

    def __init__(self, boxes: list[FleetBox], window: int, counters) -> None:
        # Boxes whose window opened while they had reports waiting.
        self.released: set[SimulatedBox] = set()
        self.writing: set[SimulatedBox] = set()
        self.boxes = [SimulatedBox(box, window, counters, self.released.add) for box in boxes]
        self.selector = selectors.DefaultSelector()

    def connect_all(self, host: str, port: int, timeout: float) -> bool:
        for box in self.boxes:
            box.connect(host, port)
            self.selector.register(box.client.socket(), selectors.EVENT_READ, box)
            self.turn(0)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(box.connected for box in self.boxes):
                return True
            self.turn(0.01)
        return False

    def turn(self, timeout: float) -> None:
        """Read what arrived, send what the acknowledgements let go, write what waits."""
        for key, _events in self.selector.select(timeout):
            box = key.data
            if box.client.loop_read() != MQTTErrorCode.MQTT_ERR_SUCCESS:
                self._drop(box)
                continue
            if box.client.want_write():
                self.writing.add(box)
        while self.released:
            box = self.released.pop()
            box.send_waiting()
            self.writing.add(box)
        for box in list(self.writing):
            box.client.loop_write()
            if not box.client.want_write():
                self.writing.discard(box)

    def keep_alive(self) -> None:
        for box in self.boxes:
            if box.connected:
                box.client.loop_misc()

    def _drop(self, box: SimulatedBox) -> None:
        self.writing.discard(box)
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(box.client.socket())

    def disconnect_all(self) -> None:
        for box in self.boxes:
            if box.connected:
                box.connected = False
                box.client.disconnect()
                box.client.loop_write()


def run(boxes: list[FleetBox], host: str, port: int, pace: Pace, counters, ready, go, stopping):
    """Child: connect the boxes, then send at the given pace until told to stop."""
    loop = Loop(boxes, pace.window, counters)
    if not loop.connect_all(host, port, timeout=120.0):
        return
    ready.set()
    go.wait()
    now = time.monotonic()
    # (when, kind, index): every box starts at a random moment of its period.
    due = [(now + random.uniform(0, pace.report_every_s), 0, i) for i in range(len(boxes))]
    due += [(now + random.uniform(0, pace.telemetry_every_s), 1, i) for i in range(len(boxes))]
    heapq.heapify(due)
    next_keep_alive = next_look = now
    while True:
        now = time.monotonic()
        if now >= next_look:
            # The shared event takes a lock between processes: looked at ten times a second.
            if stopping.is_set():
                break
            next_look = now + 0.1
        if now >= next_keep_alive:
            loop.keep_alive()
            next_keep_alive = now + 5.0
        while due[0][0] <= now:
            when, kind, index = heapq.heappop(due)
            box = loop.boxes[index]
            if kind == 1:
                heapq.heappush(due, (when + pace.telemetry_every_s, kind, index))
                if box.connected:
                    box.send_telemetry()
            else:
                heapq.heappush(due, (when + pace.report_every_s, kind, index))
                if box.connected:
                    box.report_due()
            if box.client.want_write():
                loop.writing.add(box)
        loop.turn(min(0.01, max(0.0, due[0][0] - time.monotonic())))
    loop.disconnect_all()
