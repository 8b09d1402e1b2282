"""How much one box's credentials push through the broker: a burst, then a steady rate.

Every test runs a real Mosquitto 2 configured by ``provisioning.broker_config``, with the
rules plugin of ``link/broker_rules.c`` and the rate of ``link/box_rate.py``; boxes sign
in on the boxes' TLS listener, the hub on its own. What the broker let through is
counted where the hub listens, up to a last message sent after everything else: the
broker handles one connection's packets in order, so once that one is in, the rest has
been let through or dropped.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterator

import pytest

from link import sending_window, topics
from link.acl import HUB_USER
from link.box_rate import BYTE_BURST, BYTES_PER_S, MESSAGE_BURST, MESSAGES_PER_S, BoxRate
from link.envelope import Envelope
from link.mqtt_link import BrokerAccess, MqttLink
from provisioning import broker_credentials
from provisioning.broker_config import Limits
from tests.support.mosquitto import HOST, ONE_LISTENER, TIMEOUT, TWO_LISTENERS, Broker, Peer

BOX_A = "box-tilleuls-a"
BOX_B = "box-tilleuls-b"
SUCCESS = 0
NOT_AUTHORIZED = 135
GRANTED_QOS_1 = 1
# Far more than the burst and the rate let through while they are sent.
FLOOD = 3 * MESSAGE_BURST
LAST = b"last"


@pytest.fixture
def sign_in(broker: Broker) -> Iterator[Callable[[str], Peer]]:
    """Enrol a box or the hub and connect it, a box on the boxes' listener; closed after."""
    made: list[Peer] = []

    def connect(username: str) -> Peer:
        file = broker.files.passwords
        if username == HUB_USER:
            password = broker_credentials.issue_hub_credentials(file)
        else:
            password = broker_credentials.issue_box_credentials(file, username)
        broker.reload()
        box = username != HUB_USER
        client_id = None if box else "hub-ingest-1"
        peer = Peer(broker, username, password, client_id, tls=box and bool(broker.tls_port))
        made.append(peer)
        assert peer.connect() == SUCCESS
        return peer

    yield connect
    for peer in made:
        peer.close()


def listening_hub(sign_in: Callable[[str], Peer]) -> Peer:
    hub = sign_in(HUB_USER)
    assert not any(code.is_failure for code in hub.subscribe(*topics.hub_subscriptions()))
    return hub


def last_one(box: Peer, topic: str) -> None:
    """Publish LAST once the box's rate lets it through, after everything it sent before."""
    deadline = time.monotonic() + TIMEOUT
    while box.publish(topic, LAST) == NOT_AUTHORIZED:
        assert time.monotonic() < deadline
        time.sleep(1 / MESSAGES_PER_S)


def heard_until_last(client: Peer) -> list[bytes]:
    """Every payload the client receives until LAST, which is not counted."""
    heard = []
    while (message := client.receive()) is not None and message.payload != LAST:
        heard.append(message.payload)
    assert message is not None, "LAST never came"
    return heard


def small(count: int) -> list[bytes]:
    return [b"junk %d" % number for number in range(count)]


@pytest.mark.parametrize("broker", [TWO_LISTENERS, ONE_LISTENER], indirect=True)
def test_a_box_flooding_gets_only_its_burst_and_rate_through(broker, sign_in):
    hub = listening_hub(sign_in)
    box = sign_in(BOX_A)
    started = time.monotonic()
    box.publish_many(topics.up(BOX_A), small(FLOOD), qos=0)
    last_one(box, topics.up(BOX_A))
    elapsed = time.monotonic() - started
    through = len(heard_until_last(hub))
    assert MESSAGE_BURST <= through <= MESSAGE_BURST + MESSAGES_PER_S * elapsed
    assert through < FLOOD
    # The limit is told once, not for each message dropped.
    assert broker.log().count(f"Box {BOX_A} publishes beyond its rate") == 1


def test_a_box_sending_big_messages_gets_only_its_byte_burst_and_rate_through(sign_in):
    hub = listening_hub(sign_in)
    box = sign_in(BOX_A)
    mebibyte = b"m" * 2**20
    started = time.monotonic()
    box.publish_many(topics.up(BOX_A), [mebibyte] * (3 * BYTE_BURST // 2**20), qos=0)
    last_one(box, topics.up(BOX_A))
    elapsed = time.monotonic() - started
    through = sum(map(len, heard_until_last(hub)))
    assert BYTE_BURST <= through <= BYTE_BURST + BYTES_PER_S * elapsed


def test_a_box_over_its_rate_is_told_not_authorised_and_stays_connected(sign_in):
    hub = listening_hub(sign_in)
    box = sign_in(BOX_A)
    box.publish_many(topics.up(BOX_A), small(FLOOD), qos=0)
    reports = [b"report %d" % number for number in range(100)]
    codes = box.publish_many(topics.up(BOX_A), reports)
    answers = {code.value for code in codes}
    assert NOT_AUTHORIZED in answers and answers <= {SUCCESS, NOT_AUTHORIZED}
    last_one(box, topics.up(BOX_A))
    passed = [payload for payload, code in zip(reports, codes, strict=True) if code == SUCCESS]
    assert [payload for payload in heard_until_last(hub) if payload in reports] == passed
    assert box.client.is_connected()


def test_another_box_publishing_meanwhile_is_not_limited(sign_in):
    hub = listening_hub(sign_in)
    flooder, box = sign_in(BOX_A), sign_in(BOX_B)
    reports = [b"report %d" % number for number in range(MESSAGE_BURST)]
    for payload in small(FLOOD):
        flooder.send(topics.up(BOX_A), payload, qos=0)
    assert not any(code.is_failure for code in box.publish_many(topics.up(BOX_B), reports))
    last_one(flooder, topics.up(BOX_A))
    heard = heard_until_last(hub)
    assert [payload for payload in heard if payload.startswith(b"report")] == reports
    assert len(heard) - len(reports) < FLOOD


def test_the_hub_is_never_limited(sign_in):
    box = sign_in(BOX_A)
    assert box.subscribe(topics.down(BOX_A)) == [GRANTED_QOS_1]
    hub = sign_in(HUB_USER)
    started = time.monotonic()
    codes = hub.publish_many(topics.down(BOX_A), small(FLOOD))
    hub.publish(topics.down(BOX_A), LAST)
    elapsed = time.monotonic() - started
    assert not any(code.is_failure for code in codes)
    assert len(heard_until_last(box)) == FLOOD > MESSAGE_BURST + MESSAGES_PER_S * elapsed


def _window() -> list[bytes]:
    """A box's whole window as its outbox sends it at worst: WINDOW envelopes, each alone,
    whose bodies fill WINDOW_BYTES characters of French text."""
    text = itertools.cycle("Fuite d'eau près de l'entrée, côté cour, depuis hier. ")
    each = sending_window.WINDOW_BYTES // sending_window.WINDOW - len('{"text":""}')
    return [
        Envelope(
            id=f"{seq:032x}",
            box=BOX_A,
            kind="report.filed",
            at="2026-12-07T08:15:02.118204",
            body={"text": "".join(itertools.islice(text, each))},
            seq=seq,
        ).encode()
        for seq in range(1, sending_window.WINDOW + 1)
    ]


def test_a_box_catching_up_gets_its_whole_window_through(sign_in):
    hub = listening_hub(sign_in)
    box = sign_in(BOX_A)
    window = _window()
    assert sum(map(len, window)) > sending_window.WINDOW_BYTES
    assert not any(code.is_failure for code in box.publish_many(topics.up(BOX_A), window))
    box.publish(topics.up(BOX_A), LAST)
    assert heard_until_last(hub) == window


def test_the_box_link_survives_being_refused_and_its_copy_goes_through(broker, sign_in, caplog):
    hub = listening_hub(sign_in)
    password = broker_credentials.issue_box_credentials(broker.files.passwords, BOX_A)
    broker.reload()
    access = BrokerAccess(HOST, broker.tls_port, BOX_A, password, BOX_A, str(broker.ca_path))
    link = MqttLink(access, [topics.down(BOX_A)])
    caplog.set_level(logging.INFO, logger="link.mqtt_link")
    heard: list[bytes] = []

    def arrived(payload: bytes) -> bool:
        while (message := hub.receive(1 / MESSAGES_PER_S)) is not None:
            heard.append(message.payload)
            if message.payload == payload:
                return True
        return False

    link.start()
    try:
        assert link.connected.wait(TIMEOUT)
        for payload in small(FLOOD):
            assert link.publish(topics.up(BOX_A), payload, qos=0)
        # At QoS 1, as the outbox sends: the broker answers "not authorised" to most, and
        # the link goes on until a copy sent later is let through.
        reports = [b"report %d" % number for number in range(100)]
        for payload in reports:
            assert link.publish(topics.up(BOX_A), payload)
        deadline = time.monotonic() + TIMEOUT
        while not arrived(LAST):
            assert link.publish(topics.up(BOX_A), LAST)
            assert time.monotonic() < deadline
        assert len(set(reports) & set(heard)) < len(reports)
        assert link.connected.is_set() and "disconnected" not in caplog.text
    finally:
        link.stop()


def test_a_broker_not_told_a_rate_for_boxes_does_not_start(tmp_path):
    broker = Broker(tmp_path / "broker", limits=Limits(box_rate=BoxRate(messages_per_s=0)))
    with pytest.raises(RuntimeError, match="box_messages_per_s"):
        broker.start()
