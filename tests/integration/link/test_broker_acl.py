"""The hub broker as boxes and the hub meet it: who gets in, who may say and hear what.

Every test runs a real Mosquitto 2 configured by ``provisioning.broker_config`` with the
rules plugin of ``link/broker_rules.c``, the hub and two boxes enrolled; boxes sign in on the boxes'
listener, the hub on its own, unless a test says otherwise. Tests marked
``both_layouts`` run again on the one listener of a closed trial. Where a message must
*not* arrive, the test mostly sends an allowed one after it: Mosquitto handles one
connection's packets in order, so once the allowed one is in, the forbidden one would
have been too.
"""

from __future__ import annotations

import base64
import socket
import ssl
import subprocess
import time
from collections.abc import Callable, Iterator

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from core.domain.outbox import MAX_MESSAGE_BYTES
from link import topics
from link.acl import HUB_USER, Admits
from provisioning import broker_credentials, broker_plugin
from provisioning.broker_config import MAX_PACKET_BYTES, Listener, write_broker_folder
from tests.support.mosquitto import (
    HOST,
    ONE_LISTENER,
    TIMEOUT,
    TWO_LISTENERS,
    Broker,
    Peer,
)

BOX_A = "box-tilleuls-a"
BOX_B = "box-tilleuls-b"
SUCCESS = 0
# Accepted (kept, when retained) with nobody subscribed yet.
NO_SUBSCRIBERS = 16
NOT_AUTHORIZED = 135
GRANTED_QOS_1 = 1
DAY = 24 * 3600
REPORTS = 20
both_layouts = pytest.mark.parametrize("broker", [TWO_LISTENERS, ONE_LISTENER], indirect=True)


@pytest.fixture
def passwords(broker: Broker) -> dict[str, str]:
    """Each enrolled user's password in clear, as handed to the box or the hub."""
    file = broker.files.passwords
    issued = {HUB_USER: broker_credentials.issue_hub_credentials(file)}
    for box_id in (BOX_A, BOX_B):
        issued[box_id] = broker_credentials.issue_box_credentials(file, box_id)
    broker.reload()
    return issued


@pytest.fixture
def peer(broker: Broker, passwords: dict[str, str]) -> Iterator[Callable[..., Peer]]:
    """Make clients of the broker, connected unless told not to, closed after the test."""
    made: list[Peer] = []

    def make(
        username: str,
        client_id: str | None = None,
        password: str | None = None,
        tls: bool | None = None,
        online: bool = True,
    ) -> Peer:
        if tls is None:
            # Each on its own listener: boxes over TLS where the broker has it.
            tls = broker.tls_port is not None and username != HUB_USER
        client = Peer(broker, username, password or passwords[username], client_id, tls)
        made.append(client)
        if online:
            assert client.connect() == SUCCESS
        return client

    yield make
    for client in made:
        client.close()


def ingest(peer: Callable[..., Peer], name: str = "hub-ingest-1") -> Peer:
    """A hub ingest process: the hub user, its own client id, the shared subscriptions."""
    hub = peer(HUB_USER, client_id=name)
    assert hub.subscribe(*topics.hub_subscriptions()) == [GRANTED_QOS_1] * 3
    return hub


def test_a_box_signs_in_with_its_own_password_only(peer):
    assert peer(BOX_A, online=False).connect() == SUCCESS
    assert peer(BOX_B, password="not-the-password", online=False).connect() == NOT_AUTHORIZED


def test_the_hub_hears_what_a_box_says_on_its_own_branch(peer):
    hub = ingest(peer)
    box = peer(BOX_A)
    for topic in (topics.up(BOX_A), topics.status(BOX_A), topics.telemetry(BOX_A)):
        assert box.publish(topic, b"envelope") == SUCCESS
        assert hub.receive() == (topic, b"envelope")


@both_layouts
@pytest.mark.parametrize(
    "topic",
    [
        topics.up(BOX_B),
        topics.status(BOX_B),
        topics.telemetry(BOX_B),
        topics.down(BOX_B),
        topics.down(BOX_A),
        "rc/v1/elsewhere",
    ],
)
def test_a_box_may_not_publish_outside_its_own_branch(peer, topic):
    hub = ingest(peer)
    box = peer(BOX_A)
    assert box.publish(topic, b"forged") == NOT_AUTHORIZED
    box.publish(topic, b"forged", qos=0)
    box.publish(topics.up(BOX_A), b"fence")
    assert hub.receive() == (topics.up(BOX_A), b"fence")


@both_layouts
def test_a_box_may_subscribe_to_its_own_down_and_hears_only_that(peer):
    hub = ingest(peer)
    other = peer(BOX_B)
    box = peer(BOX_A)
    assert box.subscribe(topics.down(BOX_A)) == [GRANTED_QOS_1]
    assert other.subscribe(topics.down(BOX_B)) == [GRANTED_QOS_1]
    assert other.publish(topics.up(BOX_B), b"report") == SUCCESS
    assert hub.publish(topics.down(BOX_B), b"for B") == SUCCESS
    assert hub.publish(topics.down(BOX_A), b"for A") == SUCCESS
    assert box.receive() == (topics.down(BOX_A), b"for A")
    assert box.receive(timeout=0.2) is None


@both_layouts
@pytest.mark.parametrize(
    "topic_filter",
    [
        f"$share/{topics.INGEST_GROUP}/{topics.up('+')}",
        f"$share/{topics.INGEST_GROUP}/{topics.down(BOX_A)}",
        topics.down("+"),
        topics.down(BOX_B),
        topics.up(BOX_A),
        topics.status(BOX_B),
        "rc/v1/box/#",
        f"rc/v1/box/{BOX_A}/#",
        "#",
        "$SYS/#",
    ],
)
def test_a_box_may_subscribe_to_nothing_else(peer, topic_filter):
    box = peer(BOX_A)
    assert box.subscribe(topic_filter) == [NOT_AUTHORIZED]


@both_layouts
def test_a_box_in_the_ingest_share_group_takes_no_report_from_the_hub(peer):
    hub = ingest(peer)
    thief = peer(BOX_A)
    # Granted, it would be dealt some of the group's messages and drop them unread.
    assert thief.subscribe(topics.hub_subscriptions()[0]) == [NOT_AUTHORIZED]
    box = peer(BOX_B)
    sent = [f"report {n}".encode() for n in range(REPORTS)]
    for payload in sent:
        assert box.publish(topics.up(BOX_B), payload) == SUCCESS
    assert sorted(_drain([hub], REPORTS)[hub]) == sorted(sent)


@both_layouts
@pytest.mark.parametrize("channel", [topics.up, topics.telemetry])
def test_a_box_may_not_retain_what_it_sends_the_hub(peer, channel):
    box = peer(BOX_A)
    assert box.publish(channel(BOX_A), b"again and again", retain=True) == NOT_AUTHORIZED
    box.publish(channel(BOX_A), b"again and again", qos=0, retain=True)
    assert box.publish(topics.status(BOX_A), b"online", retain=True) == NO_SUBSCRIBERS
    # An ingest that subscribes later finds the box's presence, and nothing else.
    hub = ingest(peer)
    assert hub.receive() == (topics.status(BOX_A), b"online")
    assert hub.receive(timeout=0.2) is None


@both_layouts
def test_a_box_retained_will_on_up_is_not_delivered(peer):
    hub = ingest(peer)
    box = peer(BOX_A, online=False)
    box.client.will_set(topics.up(BOX_A), b"replayed", qos=1, retain=True)
    assert box.connect() == SUCCESS
    box.client.socket().shutdown(socket.SHUT_RDWR)
    box.disconnection()
    fence = peer(BOX_B)
    assert fence.publish(topics.up(BOX_B), b"fence") == SUCCESS
    assert hub.receive() == (topics.up(BOX_B), b"fence")


def test_box_credentials_are_refused_on_the_hub_listener(peer):
    assert peer(BOX_A, tls=False, online=False).connect() == NOT_AUTHORIZED
    assert peer(BOX_A, tls=True, online=False).connect() == SUCCESS


def test_hub_credentials_are_refused_on_the_box_listener(peer):
    hub = peer(HUB_USER, client_id="hub-ingest-1", tls=True, online=False)
    assert hub.connect() == NOT_AUTHORIZED


@pytest.mark.parametrize("broker", [ONE_LISTENER], indirect=True)
def test_on_one_listener_a_box_under_another_client_id_is_refused(peer):
    hub = ingest(peer, "hub-ingest-1")
    victim = peer(BOX_B)
    assert victim.subscribe(topics.down(BOX_B)) == [GRANTED_QOS_1]
    for borrowed in (BOX_B, "hub-ingest-1"):
        assert peer(BOX_A, client_id=borrowed, online=False).connect() == NOT_AUTHORIZED
    assert hub.publish(topics.down(BOX_B), b"still yours") == SUCCESS
    assert victim.receive() == (topics.down(BOX_B), b"still yours")
    assert victim.publish(topics.up(BOX_B), b"still heard") == SUCCESS
    assert hub.receive() == (topics.up(BOX_B), b"still heard")


def test_on_the_box_listener_a_box_cannot_take_a_hub_ingest_client_id(peer):
    hub = ingest(peer, "hub-ingest-1")
    assert peer(BOX_A, client_id="hub-ingest-1").publish(topics.up(BOX_A), b"own") == SUCCESS
    assert hub.receive() == (topics.up(BOX_A), b"own")


def test_the_hub_may_subscribe_to_what_boxes_send_and_nothing_else(peer):
    hub = peer(HUB_USER, client_id="hub-probe")
    assert hub.subscribe(*topics.hub_subscriptions(shared=False)) == [GRANTED_QOS_1] * 3
    assert hub.subscribe(topics.status(BOX_A), topics.up(BOX_A)) == [GRANTED_QOS_1] * 2
    refused = [
        topics.down("+"),
        "rc/v1/box/#",
        "#",
        "$SYS/#",
        f"$share/elsewhere/{topics.up('+')}",
    ]
    assert hub.subscribe(*refused) == [NOT_AUTHORIZED] * len(refused)


@both_layouts
@pytest.mark.parametrize("channel", [topics.status, topics.up, topics.telemetry])
def test_the_hub_may_clear_a_retained_message_on_a_box_branch(peer, channel):
    box = peer(BOX_A)
    assert box.publish(topics.status(BOX_A), b"online", retain=True) == NO_SUBSCRIBERS
    hub = peer(HUB_USER, client_id="hub-ingest-1")
    assert hub.publish(channel(BOX_A), b"", retain=True) == NO_SUBSCRIBERS
    late = ingest(peer, "hub-ingest-2")
    if channel is topics.status:
        assert late.receive(timeout=0.5) is None
    else:
        assert late.receive() == (topics.status(BOX_A), b"online")


@both_layouts
@pytest.mark.parametrize("channel", [topics.status, topics.up, topics.telemetry])
def test_the_hub_may_not_speak_for_a_box(peer, channel):
    hub = peer(HUB_USER, client_id="hub-router")
    assert hub.publish(channel(BOX_A), b"forged", retain=True) == NOT_AUTHORIZED
    assert hub.publish(channel(BOX_A), b"forged") == NOT_AUTHORIZED
    assert hub.publish(channel(BOX_A), b"") == NOT_AUTHORIZED


@both_layouts
def test_a_box_last_will_reaches_the_hub_on_its_own_status_only(peer):
    hub = ingest(peer)
    forger = peer(BOX_B, online=False)
    forger.client.will_set(topics.status(BOX_A), b"offline", qos=1, retain=True)
    box = peer(BOX_A, online=False)
    box.client.will_set(topics.status(BOX_A), b"offline", qos=1, retain=True)
    for client in (forger, box):
        assert client.connect() == SUCCESS
        # A power cut: the connection ends with no DISCONNECT, so the broker sends the will.
        client.client.socket().shutdown(socket.SHUT_RDWR)
        client.disconnection()
    assert hub.receive() == (topics.status(BOX_A), b"offline")
    assert hub.receive(timeout=0.2) is None


def test_a_box_under_another_box_client_id_still_reaches_only_its_own_branch(peer):
    hub = ingest(peer)
    box = peer(BOX_A, client_id=BOX_B)
    assert box.subscribe(topics.down(BOX_B)) == [NOT_AUTHORIZED]
    assert box.publish(topics.up(BOX_B), b"forged") == NOT_AUTHORIZED
    assert box.publish(topics.up(BOX_A), b"own") == SUCCESS
    assert hub.receive() == (topics.up(BOX_A), b"own")


def test_on_the_box_listener_a_borrowed_client_id_does_not_displace_the_other_box(peer):
    hub = ingest(peer)
    victim = peer(BOX_B, tls=True)
    assert victim.subscribe(topics.down(BOX_B)) == [GRANTED_QOS_1]
    peer(BOX_A, client_id=BOX_B, tls=True)
    assert hub.publish(topics.down(BOX_B), b"still yours") == SUCCESS
    assert victim.receive() == (topics.down(BOX_B), b"still yours")


def test_hub_processes_in_the_share_group_split_the_messages(peer):
    first, second = ingest(peer, "hub-ingest-1"), ingest(peer, "hub-ingest-2")
    box = peer(BOX_A)
    sent = {f"report {n}".encode() for n in range(20)}
    for payload in sorted(sent):
        assert box.publish(topics.up(BOX_A), payload) == SUCCESS
    heard = _drain([first, second], len(sent))
    assert sorted(heard[first] + heard[second]) == sorted(sent)
    assert heard[first] and heard[second]
    assert first.receive(timeout=0.2) is None and second.receive(timeout=0.0) is None


def test_a_box_trusting_the_hub_authority_publishes_over_tls(broker, peer):
    hub = ingest(peer)
    box = peer(BOX_A, tls=True)
    assert box.publish(topics.up(BOX_A), b"over TLS") == SUCCESS
    assert hub.receive() == (topics.up(BOX_A), b"over TLS")


def test_a_client_that_does_not_trust_the_hub_authority_cannot_open_tls(broker, passwords):
    client = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2, client_id=BOX_A, protocol=mqtt.MQTTv5
    )
    client.username_pw_set(BOX_A, passwords[BOX_A])
    client.tls_set()
    with pytest.raises(ssl.SSLCertVerificationError):
        client.connect(HOST, broker.tls_port)


def test_a_message_over_the_size_limit_never_reaches_the_hub(broker, peer):
    hub = ingest(peer)
    box = peer(BOX_A)
    assert box.connack.MaximumPacketSize == MAX_PACKET_BYTES
    largest = b"p" * MAX_MESSAGE_BYTES
    assert box.publish(topics.up(BOX_A), largest) == SUCCESS
    assert hub.receive().payload == largest
    box.send(topics.up(BOX_A), b"p" * MAX_PACKET_BYTES)
    # The broker answers with DISCONNECT "packet too large" and closes the socket; a
    # client still writing the packet may see only the closed socket.
    assert box.disconnection().is_failure
    assert f"Client {BOX_A} disconnected due to oversize packet" in broker.log()
    late = peer(BOX_B)
    late.publish(topics.up(BOX_B), b"fence")
    assert hub.receive() == (topics.up(BOX_B), b"fence")


def test_queued_messages_for_an_offline_box_survive_a_broker_restart(broker, peer):
    box = peer(BOX_A, online=False)
    assert box.connect(clean_start=False, session_expiry=DAY) == SUCCESS
    assert box.subscribe(topics.down(BOX_A)) == [GRANTED_QOS_1]
    box.close()
    hub = peer(HUB_USER, client_id="hub-router")
    assert hub.publish(topics.down(BOX_A), b"agent reply") == SUCCESS
    hub.close()
    broker.restart()
    # The saved session is held to the rules of the listener it came from, from the start.
    hub = peer(HUB_USER, client_id="hub-router")
    assert hub.publish(topics.down(BOX_A), b"news") == SUCCESS
    back = peer(BOX_A, online=False)
    assert back.connect(clean_start=False, session_expiry=DAY) == SUCCESS
    assert back.receive() == (topics.down(BOX_A), b"agent reply")
    assert back.receive() == (topics.down(BOX_A), b"news")


def test_a_box_enrolled_or_removed_while_the_broker_runs_is_known_at_once(broker, peer):
    password = broker_credentials.issue_box_credentials(broker.files.passwords, "box-new")
    broker.reload()
    assert peer("box-new", password=password, online=False).connect() == SUCCESS
    assert broker_credentials.remove_user(broker.files.passwords, BOX_A)
    broker.reload()
    assert peer(BOX_A, online=False).connect() == NOT_AUTHORIZED


def test_password_lines_match_those_of_mosquitto_passwd(tmp_path):
    reference = tmp_path / "reference"
    subprocess.run(
        ["mosquitto_passwd", "-c", "-b", str(reference), "box", "s3cret"],
        check=True,
        timeout=TIMEOUT,
        capture_output=True,
    )
    _, hashed = reference.read_text().strip().split(":", 1)
    salt = base64.b64decode(hashed.split("$")[3])
    assert broker_credentials.hash_password("s3cret", salt) == hashed
    assert len(salt) == broker_credentials.SALT_BYTES


def test_password_file_is_replaced_whole_and_readable_by_its_owner_only(tmp_path):
    file = tmp_path / "passwords"
    first = broker_credentials.issue_box_credentials(file, BOX_A)
    broker_credentials.issue_box_credentials(file, BOX_B)
    second = broker_credentials.issue_box_credentials(file, BOX_A)
    assert first != second
    assert [line.split(":")[0] for line in file.read_text().splitlines()] == [BOX_B, BOX_A]
    assert file.stat().st_mode & 0o777 == 0o600
    for taken in (HUB_USER, "hub-ingest-1"):
        with pytest.raises(ValueError):
            broker_credentials.issue_box_credentials(file, taken)
    with pytest.raises(ValueError):
        broker_credentials.issue_box_credentials(file, "box/+")


def test_no_broker_folder_is_written_without_a_current_rules_plugin(tmp_path, monkeypatch):
    stamp = tmp_path / "broker_rules.sha256"
    stamp.write_text("built from another version of the source\n")
    monkeypatch.setattr(broker_plugin, "BUILT_FROM", stamp)
    with pytest.raises(broker_plugin.RulesPluginMissing, match=r"run scripts/setup\.sh"):
        write_broker_folder(tmp_path / "broker", [Listener(1883, Admits.ALL)])
    assert not (tmp_path / "broker").exists()


def _drain(hubs: list[Peer], count: int) -> dict[Peer, list[bytes]]:
    """Collect ``count`` messages from whichever hubs receive them, by hub."""
    heard: dict[Peer, list[bytes]] = {hub: [] for hub in hubs}
    deadline = time.monotonic() + TIMEOUT
    while sum(map(len, heard.values())) < count and time.monotonic() < deadline:
        for hub in hubs:
            message = hub.receive(timeout=0.01)
            if message is not None:
                heard[hub].append(message.payload)
    return heard
