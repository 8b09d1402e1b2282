"""A real Mosquitto for tests, set up as the hub broker, and an MQTT v5 client to probe it.

The broker runs from its own folder on free local ports, never the machine's broker on
1883. Its configuration comes from ``provisioning.broker_config``, so tests prove the
configuration the hub really uses.
"""

from __future__ import annotations

import os
import pwd
import queue
import re
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import NamedTuple

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from link.acl import Admits
from provisioning.broker_config import Limits, Listener, write_broker_folder
from provisioning.broker_credentials import reload_broker, set_user
from provisioning.tls import write_broker_tls

MOSQUITTO = "/usr/sbin/mosquitto"
HOST = "127.0.0.1"
# Generous for two shared cores; a healthy broker answers in milliseconds.
TIMEOUT = 5.0
RUNNING = re.compile(r"mosquitto version \S+ running$", re.MULTILINE)
# How a broker's listeners are laid out, as tests ask for it: the hub's own listener apart
# from the boxes' TLS one (a city's hub), or one plain listener for all (a closed trial).
TWO_LISTENERS = "two listeners"
ONE_LISTENER = "one listener"


def free_ports(count: int) -> list[int]:
    """Return ``count`` distinct TCP ports that nothing listens on right now."""
    with ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind((HOST, 0))
        return [sock.getsockname()[1] for sock in sockets]


def _current_user() -> str:
    return pwd.getpwuid(os.geteuid()).pw_name


class Broker:
    """Mosquitto 2 as a subprocess: a plain listener, optionally a TLS one, saved sessions.

    The TLS listener is set up as the one boxes use across the internet (client id taken
    from the username), the plain one as the hub's local listener. Without TLS, the plain
    listener serves the hub and the boxes, as on a trial's closed network.
    """

    def __init__(self, folder: Path, tls: bool = True, limits: Limits | None = None) -> None:
        self.folder = folder
        ports = free_ports(2 if tls else 1)
        self.port = ports[0]
        self.tls_port = ports[1] if tls else None
        listeners = [Listener(self.port, Admits.HUB if tls else Admits.ALL, HOST)]
        self.ca_path: Path | None = None
        if self.tls_port:
            tls_files = write_broker_tls(folder / "tls", ["localhost", HOST])
            listeners.append(Listener(self.tls_port, Admits.BOXES, HOST, tls_files))
            self.ca_path = tls_files.cafile
        # Started as root, Mosquitto would switch to its own user and lose access to
        # the 0600 files written here; it stays whoever runs the tests.
        self.files = write_broker_folder(
            folder, listeners, limits or Limits(), run_as=_current_user()
        )
        self._process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        if not self.running:
            raise RuntimeError("the broker is not running")
        return self._process.pid

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start the broker and return once it serves every listener and heeds signals."""
        starts = len(RUNNING.findall(self.log()))
        stderr = (self.folder / "stderr.log").open("ab")
        with stderr:
            self._process = subprocess.Popen(
                [MOSQUITTO, "-c", str(self.files.config)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,
            )
        # Ports accept connections before the signal handlers are set, and a SIGHUP in
        # between would end the broker: the log line written after both is the signal.
        self._wait_until(lambda: len(RUNNING.findall(self.log())) > starts, "start")

    def stop(self) -> None:
        """Stop the broker as its service manager would, letting it save its sessions."""
        self._end(signal.SIGTERM)

    def kill(self) -> None:
        """Kill the broker without warning, as a crash or a power cut would."""
        self._end(signal.SIGKILL)

    def restart(self) -> None:
        """Start again on the same ports from the same folder (stopping first if running)."""
        if self.running:
            self.stop()
        self.start()

    def add_user(self, username: str, password: str) -> None:
        """Add or replace a user; a running broker knows it before this returns."""
        set_user(self.files.passwords, username, password)
        if self.running:
            self.reload()

    def reload(self) -> None:
        """Have the broker re-read its password and ACL files, and wait until it has."""
        reloads = self.log().count("Reloading config")
        reload_broker(self.pid)
        # The reload runs in the broker's only thread, so a connection made after the log
        # line is read after the new files.
        self._wait_until(lambda: self.log().count("Reloading config") > reloads, "reload")

    def log(self) -> str:
        """The broker's log so far."""
        if not self.files.log.exists():
            return ""
        return self.files.log.read_text(encoding="utf-8", errors="replace")

    def __enter__(self) -> Broker:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._process is not None:
            self.kill()

    def _end(self, signal_number: int) -> None:
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.send_signal(signal_number)
        try:
            self._process.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(TIMEOUT)

    def _wait_until(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not condition():
            if self._process.poll() is not None:
                raise RuntimeError(f"mosquitto exited before its {what}:\n{self._output()}")
            if time.monotonic() > deadline:
                self.kill()
                raise TimeoutError(f"no {what} of mosquitto in {TIMEOUT} s:\n{self._output()}")
            time.sleep(0.01)

    def _output(self) -> str:
        return (self.folder / "stderr.log").read_text(errors="replace") + self.log()


class Message(NamedTuple):
    """A message as a subscriber got it."""

    topic: str
    payload: bytes


class Peer:
    """One MQTT v5 client whose every step waits for the broker's answer or a timeout."""

    def __init__(
        self,
        broker: Broker,
        username: str,
        password: str,
        client_id: str | None = None,
        tls: bool = False,
    ) -> None:
        self.broker = broker
        self.tls = tls
        self.messages: queue.Queue[Message] = queue.Queue()
        # A refused or dropped connection stays down: tests look at what happened.
        self.client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=client_id or username,
            protocol=mqtt.MQTTv5,
            reconnect_on_failure=False,
        )
        self.client.username_pw_set(username, password)
        if tls:
            self.client.tls_set(ca_certs=str(broker.ca_path))
        self._answers: dict[tuple[str, int], object] = {}
        self._answered = threading.Condition()
        self.connack: Properties | None = None
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_publish = self._on_publish
        self.client.on_message = self._on_message

    def connect(self, clean_start: bool = True, session_expiry: int = 0) -> ReasonCode:
        """Connect and return the CONNACK reason code; a refusal leaves the client stopped."""
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = session_expiry
        port = self.broker.tls_port if self.tls else self.broker.port
        self.client.connect(
            HOST, port, keepalive=10, clean_start=clean_start, properties=properties
        )
        self.client.loop_start()
        code = self._answer("connect", 0)
        if code.is_failure:
            self.client.loop_stop()
        return code

    def subscribe(self, *filters: str, qos: int = 1) -> list[ReasonCode]:
        """Subscribe and return the SUBACK reason code of each filter."""
        _, mid = self.client.subscribe([(topic, qos) for topic in filters])
        return self._answer("subscribe", mid)

    def publish(
        self, topic: str, payload: bytes | str, qos: int = 1, retain: bool = False
    ) -> ReasonCode | None:
        """Publish; return the PUBACK reason code at QoS 1, or None once sent at QoS 0."""
        info = self.client.publish(topic, payload, qos=qos, retain=retain)
        if qos == 0:
            info.wait_for_publish(TIMEOUT)
            return None
        return self._answer("publish", info.mid)

    def publish_many(self, topic: str, payloads: Iterable[bytes], qos: int = 1) -> list[ReasonCode]:
        """Publish one after the other without waiting in between; return each PUBACK's
        reason code at QoS 1, or success once written at QoS 0."""
        mids = [self.client.publish(topic, payload, qos=qos).mid for payload in payloads]
        return [self._answer("publish", mid) for mid in mids]

    def send(self, topic: str, payload: bytes | str, qos: int = 1) -> None:
        """Publish without waiting for an answer, for messages the broker may never answer."""
        self.client.publish(topic, payload, qos=qos)

    def disconnection(self) -> ReasonCode:
        """Wait until the connection ends and return why; raises if it stays up."""
        return self._answer("disconnect", 0)

    def receive(self, timeout: float = TIMEOUT) -> Message | None:
        """Return the next message delivered to this client, or None after ``timeout``."""
        try:
            return self.messages.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        """Disconnect cleanly and stop the network thread."""
        self.client.disconnect()
        self.client.loop_stop()

    def _answer(self, kind: str, mid: int):
        with self._answered:
            if not self._answered.wait_for(lambda: (kind, mid) in self._answers, TIMEOUT):
                raise TimeoutError(f"no {kind} answer from the broker")
            return self._answers.pop((kind, mid))

    def _record(self, kind: str, mid: int, answer: object) -> None:
        with self._answered:
            self._answers[(kind, mid)] = answer
            self._answered.notify_all()

    def _on_connect(self, _client, _userdata, _flags, reason_code, properties) -> None:
        self.connack = properties
        self._record("connect", 0, reason_code)

    def _on_disconnect(self, _client, _userdata, _flags, reason_code, _properties) -> None:
        self._record("disconnect", 0, reason_code)

    def _on_subscribe(self, _client, _userdata, mid, reason_codes, _properties) -> None:
        self._record("subscribe", mid, reason_codes)

    def _on_publish(self, _client, _userdata, mid, reason_code, _properties) -> None:
        self._record("publish", mid, reason_code)

    def _on_message(self, _client, _userdata, message) -> None:
        self.messages.put(Message(message.topic, message.payload))
