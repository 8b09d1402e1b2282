"""Applying what arrives from the other side: in order, once, and nothing lost or blocking.

A batch of received messages is applied in one transaction. Each numbered message is
applied only if it is the next one expected from its sender (``cursor.claim_next``): a
copy of one already applied is skipped, and one that overtook its predecessor is held in
the database until its turn comes (several hub ingest processes share a box's messages,
so the one holding number 8 may be a moment ahead of the one holding number 7); whoever
applies number 7 then applies 8 in the same transaction. A message
that cannot be applied is kept aside in the ``quarantine`` table; when it still says
its number, that number counts as consumed, so the messages behind it go on.
Acknowledgements go out only after the transaction has committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from core.domain import cursor, fleet, outbox, side
from core.domain.clock import new_id, utcnow
from core.storage.engine import writing
from core.storage.schema import quarantine
from link import (
    downlink_gap,
    hub_batch,
    received,
    sending_window,
    set_aside_budget,
    topics,
    typed_body,
)
from link.arrivals import at_box as box_arrivals
from link.arrivals import at_hub as hub_arrivals
from link.arrivals import fleet as fleet_arrivals
from link.control_bodies import Ack, BoxHello, HubHello, Telemetry, written
from link.envelope import (
    ACK,
    HELLO,
    MAX_SEQ,
    SEQUENCED_DOWN,
    SEQUENCED_UP,
    STATUS,
    TELEMETRY,
    Envelope,
    Refused,
    decode,
    encode_with_body,
)

log = logging.getLogger(__name__)

Message = tuple[str, bytes]
# The database is away or busy: the batch is tried again later, nothing is kept aside.
# Any other error while a message is read or applied comes from what the message says.
UNAVAILABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout, MemoryError)


def from_content(error: Exception) -> bool:
    """Tell whether an error comes from a message's content, not from the database's health."""
    return not isinstance(error, UNAVAILABLE)


def failure(connection: Connection, apply: Callable[[], None]) -> Exception | None:
    """Run ``apply`` in a savepoint; return the error from the message's content that
    rolled it back, if any. Errors of the database itself go up: the batch ends."""
    try:
        with connection.begin_nested():
            apply()
    except Exception as error:
        if not from_content(error):
            raise
        return error
    return None


def _printable(text: str, most: int) -> str:
    # A lone surrogate from a hostile message would stop the very row that keeps it.
    return text[:most].encode("utf-8", "replace").decode("utf-8")


@dataclass
class Receipt:
    """What a batch leaves to do: the acknowledgements to send."""

    replies: list[Message] = field(default_factory=list)


def keep_aside(
    connection: Connection, topic: str, reason: str, payload: bytes, box_id: str | None = None
) -> None:
    """Keep a message that cannot be applied, and say so in the log.

    ``box_id``: at the hub, the enrolled box whose branch it came on.
    """
    log.warning("message on %s kept aside: %s", topic, reason)
    connection.execute(
        quarantine.insert().values(
            received_at=utcnow(),
            topic=_printable(topic, 200),
            reason=_printable(reason, 200),
            payload=payload,
            box_id=box_id,
        )
    )


class _Batch:
    """One transaction's worth of received messages from one side."""

    def __init__(
        self,
        connection: Connection,
        handle: Callable[[_Batch, Message], None],
        at_hub: bool,
        budget: set_aside_budget.Budget | None = None,
    ) -> None:
        self.connection = connection
        self.handle = handle
        # The hub trusts no box: it tells a second message under a number from a copy,
        # and stores only so many of one box's messages aside (``budget``).
        self.at_hub = at_hub
        self.budget = budget
        self.to_ack: set[str] = set()
        # Hellos that tell a box to resume, sent with the acknowledgements.
        self.replies: list[Message] = []
        self._draining = False

    def keep_aside(self, peer_id: str | None, reason: str, message: Message) -> None:
        box_id = peer_id if self.at_hub else None
        if box_id is not None and self.budget is not None:
            stored, not_stored = self.budget.take(box_id)
            if not_stored:
                summary = f"{not_stored} more messages set aside in a minute, not stored"
                keep_aside(self.connection, message[0], summary, b"", box_id)
            if not stored:
                return
        keep_aside(self.connection, message[0], reason, message[1], box_id)

    def apply_next(
        self, peer_id: str, seq: int, apply: Callable[[], None], message: Message, what: str
    ) -> None:
        # The hub bounds how far ahead a box may be; a box trusts the hub, which may
        # resume far ahead after bringing it up to date (link/downlink_gap.py).
        most_ahead = sending_window.WINDOW if self.at_hub else MAX_SEQ
        claim = cursor.claim_or_hold(self.connection, peer_id, seq, *message, most_ahead)
        if claim == cursor.TOO_FAR:
            self.keep_aside(
                peer_id, f"{what} #{seq}: more than {sending_window.WINDOW} ahead", message
            )
            return
        if claim == cursor.AHEAD:
            return
        self.to_ack.add(peer_id)
        if claim == cursor.SEEN:
            if self.at_hub:
                self._second(peer_id, seq, apply, message)
            return
        failure = self.failure(apply)
        if failure is not None:
            self.keep_aside(peer_id, f"{what} #{seq}: {failure}", message)
        if self.at_hub:
            row = {"peer_id": peer_id, "seq": seq, "kept_aside": failure is not None}
            received.remember(self.connection, [{**row, "fingerprint": _print(message)}])
        self.drain(peer_id)

    def failure(self, apply: Callable[[], None]) -> Exception | None:
        """Run ``apply`` in a savepoint of the batch (see ``failure``)."""
        return failure(self.connection, apply)

    def _second(self, peer_id: str, seq: int, apply: Callable[[], None], message: Message) -> None:
        """A message under a number already applied or kept aside: a copy, or not?"""
        first = received.recorded(self.connection, [(peer_id, seq)]).get((peer_id, seq))
        fingerprint = _print(message)
        if first is None or first.fingerprint == fingerprint:
            return
        # Nothing was applied under this number when the first was kept aside: this one
        # takes its place.
        if first.kept_aside and self.failure(apply) is None:
            received.replace(self.connection, peer_id, seq, fingerprint)
            return
        received.keep_conflict(self.connection, peer_id, seq, fingerprint, *message)

    def drain(self, peer_id: str) -> None:
        # The messages held because they came before this one now follow it, in a loop
        # here rather than one inside the other.
        if self._draining:
            return
        self._draining = True
        try:
            while (waiting := cursor.next_held(self.connection, peer_id)) is not None:
                self.handle(self, waiting)
        finally:
            self._draining = False

    def refused(
        self, error: Exception, message: Message, peer_id: str | None, sender: str | None
    ) -> None:
        """Keep aside a message; if it still says its number, count that number consumed.

        ``sender``: the box the message's topic belongs to, which it must name.
        """
        numbered = isinstance(error, Refused) and error.seq is not None
        if numbered and peer_id is not None and sender is not None and error.box == sender:
            self.apply_next(peer_id, error.seq, _refuse(error), message, "unreadable")
        else:
            self.keep_aside(peer_id, str(error), message)


def _print(message: Message) -> str:
    return received.fingerprint_of(message[1])


def _refuse(error: Exception) -> Callable[[], None]:
    def apply() -> None:
        raise error

    return apply


# Acknowledgements go at QoS 0. Each says all that came before it, and one that never
# arrives (the link dropped just then) is made up for: the sender sends again what is
# still unacknowledged, the receiver skips it and acknowledges again. QoS 1 would add a
# PUBACK and a packet kept in memory on both sides for each.
ACK_QOS = 0


def ack(box_id: str, applied: int, disputed: list[int] = ()) -> Envelope:
    """Return the acknowledgement of every message up to ``applied`` but those ``disputed``
    (kept for an operator: the sender keeps its copy until they are decided)."""
    body = Ack(applied=applied, disputed=list(disputed)) if disputed else Ack(applied=applied)
    return Envelope(id=new_id(), box=box_id, kind=ACK, at=utcnow().isoformat(), body=written(body))


def _hub_acks(connection: Connection, applied: dict[str, int]) -> list[Message]:
    disputed = received.disputed(connection, applied)
    return [
        (topics.down(box_id), ack(box_id, seq, disputed.get(box_id, [])).encode())
        for box_id, seq in sorted(applied.items())
    ]


def by_box(messages: Iterable[Message]) -> list[Message]:
    """Order a batch by box, each box's messages in the order they came.

    Two processes then lock boxes' rows in the same order and never wait on each other.
    """
    return sorted(messages, key=lambda message: message[0].split("/")[3:4])


def at_hub_receive(
    engine: Engine, messages: Iterable[Message], budget: set_aside_budget.Budget | None = None
) -> Receipt:
    """Apply a batch received by a hub ingest process; ``budget`` bounds what one box
    has stored aside (none: everything is).

    The boxes' messages are applied together with grouped writes (link/hub_batch.py). A
    box whose messages are out of the ordinary is left out of that, and its messages are
    applied one by one afterwards: one box's junk or held messages never slow the others.
    """
    ordered = by_box(messages)
    apart: set[str] = set()
    replies: list[Message] = []
    while plain := [message for message in ordered if _sender_of(message) not in apart]:
        try:
            with writing(engine) as connection:
                replies = _hub_acks(connection, hub_batch.apply(connection, plain))
            break
        except Exception as error:
            if not from_content(error):
                raise
            named = error.boxes if isinstance(error, hub_batch.Unusual) else set()
            # A culprit not named, or named already: the whole rest goes one by one.
            apart |= (named - apart) or {_sender_of(message) for message in plain}
    rest = [message for message in ordered if _sender_of(message) in apart]
    if rest:
        replies += _at_hub_one_by_one(engine, rest, budget).replies
    return Receipt(replies)


def _sender_of(message: Message) -> str:
    where = topics.box_of(message[0])
    return where[0] if where else message[0]


def _at_hub_one_by_one(
    engine: Engine, messages: list[Message], budget: set_aside_budget.Budget | None
) -> Receipt:
    with writing(engine) as connection:
        batch = _Batch(connection, _at_hub_guarded, at_hub=True, budget=budget)
        for message in messages:
            _at_hub_guarded(batch, message)
        cursors = {box_id: cursor.applied_seq(connection, box_id) for box_id in batch.to_ack}
        replies = _hub_acks(connection, cursors) + batch.replies
    return Receipt(replies)


def _at_hub_guarded(batch: _Batch, message: Message) -> None:
    # Each message in a savepoint: whatever it makes the database refuse, the batch's
    # transaction goes on (PostgreSQL aborts a transaction at its first error).
    error = batch.failure(lambda: _at_hub_one(batch, message))
    if error is not None:
        where = topics.box_of(message[0])
        box_id = where[0] if where and side.is_peer(batch.connection, where[0]) else None
        batch.refused(error, message, box_id, box_id)


def _sender(connection: Connection, topic: str, envelope: Envelope) -> str:
    where = topics.box_of(topic)
    if where is None or where[0] != envelope.box:
        raise Refused(f"box {envelope.box!r} does not match the topic")
    if not side.is_peer(connection, envelope.box):
        raise Refused(f"box {envelope.box!r} is not enrolled")
    return envelope.box


def _at_hub_one(batch: _Batch, message: Message) -> None:
    connection = batch.connection
    topic, payload = message
    where = topics.box_of(topic)
    if where is None:
        raise Refused("not a topic of the protocol")
    channel = where[1]
    if channel in ("status", "telemetry"):
        envelope = decode(payload, frozenset({STATUS if channel == "status" else TELEMETRY}))
        box_id = _sender(connection, topic, envelope)
        fleet.record(
            connection, box_id, fleet_arrivals.fleet_change(channel, envelope.body, utcnow())
        )
        if channel == "telemetry":
            applied = typed_body.read(Telemetry, envelope.body).applied
            if applied is not None:
                _observe(batch, box_id, applied)
    elif channel == "up":
        envelope = decode(payload, SEQUENCED_UP | {ACK, HELLO})
        box_id = _sender(connection, topic, envelope)
        fleet.record_seen(connection, box_id, utcnow())
        if envelope.kind == ACK:
            outbox.acknowledged(connection, box_id, typed_body.read(Ack, envelope.body).applied)
        elif envelope.kind == HELLO:
            # The box says where it stands: what it applied is done, the rest goes again.
            hello = typed_body.read(BoxHello, envelope.body)
            fleet.record_status(connection, box_id, True, hello.version, utcnow())
            outbox.acknowledged(connection, box_id, hello.applied)
            outbox.send_again(connection, box_id)
            batch.to_ack.add(box_id)
            _observe(batch, box_id, hello.applied)
        else:
            batch.apply_next(
                box_id,
                envelope.seq,
                lambda: hub_arrivals.apply(connection, box_id, envelope.kind, envelope.body),
                message,
                envelope.kind,
            )
    else:
        raise Refused(f"channel {channel!r} is not read by the hub")


def _observe(batch: _Batch, box_id: str, applied: int) -> None:
    """Check the box's cursor against the hub's messages; tell it to resume if need be."""
    resume_from = downlink_gap.observe(batch.connection, box_id, applied, utcnow())
    if resume_from is not None:
        hub_applied = cursor.applied_seq(batch.connection, box_id)
        hello = hub_hello(box_id, hub_applied, resume_from).encode()
        batch.replies.append((topics.down(box_id), hello))


def at_box_receive(engine: Engine, box_id: str, messages: Iterable[Message]) -> Receipt:
    """Apply a batch received by the box agent."""

    def handle(batch: _Batch, message: Message) -> None:
        topic, payload = message
        try:
            envelope = decode(payload, SEQUENCED_DOWN | {ACK, HELLO})
            if envelope.box != box_id or topic != topics.down(box_id):
                raise Refused(f"box {envelope.box!r} is not this box")
            if envelope.kind == ACK:
                acked = typed_body.read(Ack, envelope.body)
                outbox.acknowledged(batch.connection, side.HUB, acked.applied, acked.disputed)
                return
            if envelope.kind == HELLO:
                hello = typed_body.read(HubHello, envelope.body)
                outbox.acknowledged(batch.connection, side.HUB, hello.applied)
                # The hub was away: what it has not applied may never have reached it.
                outbox.send_again(batch.connection, side.HUB)
                _resume(batch, hello.resume)
                return
            batch.apply_next(
                side.HUB,
                envelope.seq,
                lambda: box_arrivals.apply(batch.connection, envelope.kind, envelope.body),
                message,
                envelope.kind,
            )
        except Exception as error:
            if not from_content(error):
                raise
            on_my_topic = topic == topics.down(box_id)
            batch.refused(error, message, side.HUB if on_my_topic else None, box_id)

    with writing(engine) as connection:
        batch = _Batch(connection, handle, at_hub=False)
        for message in messages:
            handle(batch, message)
        replies = []
        if batch.to_ack:
            applied = cursor.applied_seq(connection, side.HUB)
            replies = [(topics.up(box_id), ack(box_id, applied).encode())]
    return Receipt(replies)


def _resume(batch: _Batch, resume_from: int | None) -> None:
    # The hub lost messages this box never applied and sent their content again after
    # them: the numbers in between will never come.
    if resume_from is not None and cursor.resume(batch.connection, side.HUB, resume_from):
        log.warning("the hub resumes its messages from number %d", resume_from)
        batch.to_ack.add(side.HUB)
        batch.drain(side.HUB)


def hello(box_id: str, applied: int, version: str) -> Envelope:
    """Return what a box says on (re)connecting: where it stands with the hub's messages."""
    return Envelope(
        id=new_id(),
        box=box_id,
        kind=HELLO,
        at=utcnow().isoformat(),
        body=written(BoxHello(applied=applied, version=version)),
    )


def hub_hello(box_id: str, applied: int, resume_from: int | None = None) -> Envelope:
    """Return what a hub ingest says to a box on (re)connecting: what it has applied, and,
    for a box brought up to date, the number its messages resume from."""
    body = HubHello(applied=applied)
    if resume_from is not None:
        body = HubHello(applied=applied, resume=resume_from)
    return Envelope(
        id=new_id(), box=box_id, kind=HELLO, at=utcnow().isoformat(), body=written(body)
    )


def outgoing(box_id: str, row: dict[str, Any]) -> bytes:
    """Return the message of an outbox row (``box_id``: the box it comes from or goes to)."""
    return encode_with_body(
        row["id"], box_id, row["seq"], row["kind"], row["created_at"].isoformat(), row["body"]
    )
