"""The message envelope of protocol version 1 (docs/PROTOCOL.md).

Every message between a box and the hub is one JSON object::

    {"v": 1, "id": "…", "box": "…", "seq": 12, "kind": "report.filed",
     "at": "2026-12-01T04:00:00", "body": {…}}

``box`` is the box the message comes from or goes to; ``seq`` numbers the messages of
one direction of one box's link (absent on acknowledgements, hellos and telemetry, which
are not applied in order). Anything else is refused with a reason, to be kept aside.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NoReturn

from core.domain.outbox import MAX_MESSAGE_BYTES

VERSION = 1
MAX_BYTES = MAX_MESSAGE_BYTES
# Numbers and counts are kept in PostgreSQL's 32-bit ``integer`` columns: a number past
# this one could never be stored, and would stop whoever tried.
MAX_SEQ = 2**31 - 1
# The link's own messages nest four levels at most (an envelope, its body, a report, a
# list in it); JSON nested far deeper only costs the receiver.
MAX_DEPTH = 16

# Kinds applied in order, once, and acknowledged.
# The noticeboard's and the events' kinds go both ways: boxes send theirs up, the hub hands
# a residence's posts and events down to its other boxes.
BOARD = frozenset(
    {
        "post.published",
        "post.commented",
        "post.thanked",
        "post.removed",
        "comment.removed",
        "post.moderated",
        "event.published",
        "event.replied",
    }
)
# A box's public name and certificate, between the hub and that box alone.
CERTIFICATE_UP = frozenset({"certificate.requested", "certificate.refused"})
CERTIFICATE_DOWN = frozenset({"certificate.named", "certificate.issued"})
SEQUENCED_UP = frozenset(
    {"photo.added", "report.filed", "report.message", "report.supported"} | BOARD | CERTIFICATE_UP
)
SEQUENCED_DOWN = frozenset(
    {
        "photo.added",
        "report.status",
        "report.message",
        "news.published",
        "news.withdrawn",
        "works.announced",
        "works.withdrawn",
        "deal.published",
        "deal.withdrawn",
        "partner.published",
        "partner.withdrawn",
    }
    | BOARD
    | CERTIFICATE_DOWN
)
# Kinds that carry the link itself.
ACK = "ack"
HELLO = "hello"
STATUS = "status"
TELEMETRY = "telemetry"
CONTROL = frozenset({ACK, HELLO, STATUS, TELEMETRY})
# Several envelopes may share one MQTT message, one per line: an MQTT message costs both
# ends more than applying the small envelope it carries, and a box catching up sends
# thousands. A bigger envelope (a photo) goes alone.
BUNDLE_MOST = 100
BUNDLE_BYTES = 256 * 1024


class Refused(ValueError):
    """A message that cannot be applied: malformed, unknown version, too big…

    When the message still says which box sent it and its number, ``box`` and ``seq``
    tell the receiver which number to count as consumed, so the messages behind it go on.
    """

    def __init__(self, reason: str, box: str | None = None, seq: int | None = None) -> None:
        super().__init__(reason)
        self.box = box
        self.seq = seq


@dataclass(frozen=True)
class Envelope:
    id: str
    box: str
    kind: str
    at: str
    body: dict[str, Any]
    seq: int | None = None

    def encode(self) -> bytes:
        """Return the message as sent on the broker."""
        body = json.dumps(self.body, ensure_ascii=False, separators=(",", ":"))
        return encode_with_body(self.id, self.box, self.seq, self.kind, self.at, body)


def encode_with_body(
    message_id: str, box: str, seq: int | None, kind: str, at: str, body: str
) -> bytes:
    """Return a message whose body is already written in JSON, as the outbox keeps it.

    The body is not read and written again: for a box catching up, that was a fifth of
    the agent's work.
    """
    head: dict[str, Any] = {"v": VERSION, "id": message_id, "box": box}
    if seq is not None:
        head["seq"] = seq
    head.update(kind=kind, at=at)
    opened = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
    return f'{opened},"body":{body}}}'.encode()


def _positive(value: Any) -> bool:
    return type(value) is int and 1 <= value <= MAX_SEQ


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number the link writes")


def _deeper_than(value: Any, most: int) -> bool:
    # Iterative: a recursive walk is what a deep message would turn against the reader.
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > most:
            return True
        inner = item.values() if isinstance(item, dict) else item
        stack.extend((each, depth + 1) for each in inner if isinstance(each, dict | list))
    return False


def _parsed(payload: bytes) -> Any:
    if len(payload) > MAX_BYTES:
        raise Refused(f"message of {len(payload)} bytes, over the {MAX_BYTES} limit")
    if b"\n" in payload:
        lines = payload.count(b"\n") + 1
        raise Refused(f"a bundle of {lines} lines and {len(payload)} bytes, over the limits")
    try:
        return json.loads(payload, parse_constant=_no_constant)
    except RecursionError:
        raise Refused("not JSON: nested too deep to read") from None
    except ValueError as error:
        # Also what UnicodeDecodeError and JSONDecodeError are, and a number of too many
        # digits.
        raise Refused(f"not JSON: {error}") from None


def decode(payload: bytes, kinds: frozenset[str]) -> Envelope:
    """Read a received message whose kind must be one of ``kinds``, or raise Refused."""
    message = _parsed(payload)
    if not isinstance(message, dict):
        raise Refused("not a JSON object")
    box, seq = message.get("box"), message.get("seq")
    numbered = {"box": box, "seq": seq} if isinstance(box, str) and _positive(seq) else {}
    if _deeper_than(message, MAX_DEPTH):
        raise Refused(f"nested more than {MAX_DEPTH} levels deep", **numbered)
    version = message.get("v")
    if type(version) is not int or version != VERSION:
        raise Refused(f"unknown protocol version {version!r}", **numbered)
    for name in ("id", "box", "kind", "at"):
        if not isinstance(message.get(name), str) or not message[name]:
            raise Refused(f"{name} missing or not a string", **numbered)
    if message["kind"] not in kinds:
        raise Refused(f"unknown kind {message['kind']!r}", **numbered)
    if not isinstance(message.get("body"), dict):
        raise Refused("body missing or not an object", **numbered)
    sequenced = message["kind"] not in CONTROL
    if sequenced and not _positive(seq):
        raise Refused(f"seq missing or not an integer from 1 to {MAX_SEQ}")
    return Envelope(
        id=message["id"],
        box=message["box"],
        kind=message["kind"],
        at=message["at"],
        body=message["body"],
        seq=seq if sequenced else None,
    )


def unbundle(payload: bytes) -> list[bytes]:
    """Return the envelopes one MQTT message carries, one per line (blank lines skipped).

    A message beyond what a sender bundles (``BUNDLE_MOST`` lines, ``BUNDLE_BYTES``) is
    returned whole, unsplit, for ``decode`` to refuse once: split first, a quarter of a
    megabyte of short lines would be a hundred thousand refusals.
    """
    if b"\n" not in payload:
        return [payload]
    if len(payload) > BUNDLE_BYTES or payload.count(b"\n") > BUNDLE_MOST:
        return [payload]
    return [line for line in payload.split(b"\n") if line.strip()]


def bundle(messages: Iterable[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Join consecutive envelopes for the same topic into as few MQTT messages as the
    limits allow (``BUNDLE_MOST`` envelopes, ``BUNDLE_BYTES``), in their order."""
    bundles: list[tuple[str, list[bytes], int]] = []
    for topic, payload in messages:
        if bundles:
            last_topic, lines, size = bundles[-1]
            fits = size + 1 + len(payload) <= BUNDLE_BYTES and len(lines) < BUNDLE_MOST
            if last_topic == topic and fits:
                lines.append(payload)
                bundles[-1] = (topic, lines, size + 1 + len(payload))
                continue
        bundles.append((topic, [payload], len(payload)))
    return [(topic, b"\n".join(lines)) for topic, lines, _size in bundles]
