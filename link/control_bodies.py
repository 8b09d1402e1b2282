"""The bodies of the link's own messages — acknowledgements, hellos, a box's status and
telemetry — written and read with the same models (docs/PROTOCOL.md, "Acknowledgements",
"Connecting", "Telemetry"). They carry no number and are never kept in an outbox: each
is written in JSON as it is sent (``written``).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, PlainValidator
from pydantic_core import PydanticCustomError

from core.messages.fields import Flag, Integer, Moment, Text
from core.messages.outgoing import Body
from link.envelope import ACK, HELLO, MAX_SEQ, STATUS, TELEMETRY

# The number of the last message a side applied: 0 before the first.
Cursor = Integer(0, MAX_SEQ)
# PostgreSQL's ``bigint``, never negative.
Size = Integer(0, 2**63 - 1)
# An acknowledgement names at most this many numbers kept for an operator.
MOST_DISPUTED = 100


def _numbers(value: Any) -> list[int]:
    if (
        not isinstance(value, list)
        or len(value) > MOST_DISPUTED
        or not all(type(seq) is int and 1 <= seq <= MAX_SEQ for seq in value)
    ):
        raise PydanticCustomError(
            "numbers", "a list of at most {most} numbers is expected", {"most": MOST_DISPUTED}
        )
    return value


class Ack(Body):
    """Everything up to ``applied`` is applied, but the numbers ``disputed`` (the hub's
    acks only: kept for an operator, the box keeps its copy until they are decided)."""

    KIND = ACK
    applied: Cursor
    disputed: Annotated[list[int], PlainValidator(_numbers)] = Field(default_factory=list)


class BoxHello(Body):
    """A box (re)connected: where it stands with the hub's messages, and its version."""

    KIND = HELLO
    applied: Cursor
    version: Text(40) | None = None


class HubHello(Body):
    """A hub ingest (re)connected: what it has applied of the box's messages, and, for a
    box brought up to date, the number the hub's messages resume from."""

    KIND = HELLO
    applied: Cursor
    resume: Integer(1, MAX_SEQ) | None = None


class Status(Body):
    """A box online or offline (its last will), with its version."""

    KIND = STATUS
    online: Flag = False
    version: Text(40) | None = None


class Telemetry(Body):
    """A box's figures of every minute (``applied``: its cursor, checked by the hub)."""

    KIND = TELEMETRY
    version: Text(40)
    uptime_s: Size
    disk_free_bytes: Size
    outbox_depth: Integer(0, 2**31 - 1)
    last_sync_at: Moment | None = None
    applied: Cursor | None = None


def written(body: Body) -> dict[str, Any]:
    """Return a body as it goes in its envelope, in JSON values: the fields its maker
    gave, and only those (an ack disputes numbers, a hello resumes, only when it says so)."""
    return body.model_dump(mode="json", exclude_unset=True)
