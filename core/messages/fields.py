"""The kinds of value a message body carries, each checked as it arrives.

The link carries JSON: a value of the wrong type, too long, or out of its column's range
is refused naming what was expected, and the message is kept aside (docs/PROTOCOL.md,
"What a receiver checks"). A builder hands the same fields Python's own values (a
datetime, the JPEG's bytes), which pass as they are and are written in JSON when the
message goes into the outbox.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, PlainValidator
from pydantic_core import PydanticCustomError

# PostgreSQL's ``integer``: a value outside it cannot be stored.
INTEGER = (-(2**31), 2**31 - 1)
# The largest photo a message carries: photos are kept at most 1.5 MiB
# (``photos.MAX_KEPT_BYTES``); this leaves room and no more.
MAX_PHOTO_BYTES = 2 * 1024 * 1024
JPEG_START = b"\xff\xd8\xff"
# The longest ISO 8601 time the link writes is 26 characters; no date needs more.
_LONGEST_MOMENT = 40
# Refusals that name their field themselves, whose reason is the message alone.
NAMED = "named"


def _string(value: Any, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise PydanticCustomError(
            "text", "a string of at most {limit} characters is expected", {"limit": limit}
        )
    return value


def Text(limit: int) -> Any:  # noqa: N802 - used as a type
    """A string of at most ``limit`` characters."""
    return Annotated[str, PlainValidator(lambda value: _string(value, limit))]


# A row's id: 32 hex digits as written, 32 characters at most as read.
Id = Text(32)


def Integer(least: int = INTEGER[0], most: int = INTEGER[1]) -> Any:  # noqa: N802
    """An integer from ``least`` to ``most`` (JSON ``true`` and ``1.0`` are not)."""

    def check(value: Any) -> int:
        if type(value) is not int or not least <= value <= most:
            raise PydanticCustomError(
                "integer",
                "an integer from {least} to {most} is expected",
                {"least": least, "most": most},
            )
        return value

    return Annotated[int, PlainValidator(check)]


def _moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    try:
        if isinstance(value, str) and len(value) <= _LONGEST_MOMENT:
            return datetime.fromisoformat(value)
    except ValueError:
        pass
    raise PydanticCustomError("moment", "an ISO 8601 date and time is expected")


def _iso(value: date) -> str:
    return value.isoformat()


# A time in ISO 8601: UTC without a zone as written.
Moment = Annotated[datetime, PlainValidator(_moment), PlainSerializer(_iso, when_used="json")]


def _day(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        if isinstance(value, str) and len(value) <= 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise PydanticCustomError("day", "an ISO 8601 date is expected")


# A day in ISO 8601 (2026-12-04).
Day = Annotated[date, PlainValidator(_day), PlainSerializer(_iso, when_used="json")]


def _jpeg(value: Any) -> bytes:
    if isinstance(value, bytes):
        # The sender's own photo, re-encoded when it was kept.
        return value
    text = _string(value, MAX_PHOTO_BYTES * 4 // 3 + 4)
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise PydanticCustomError("jpeg", "base64 is expected") from None
    # The sender re-encoded it; this only makes sure nothing else passes for a photo.
    if not data.startswith(JPEG_START):
        raise PydanticCustomError("jpeg", "not a JPEG image")
    return data


# A JPEG image, in base64 on the link.
Jpeg = Annotated[
    bytes,
    PlainValidator(_jpeg),
    PlainSerializer(lambda data: base64.b64encode(data).decode("ascii")),
]

# Yes only when JSON says ``true``: anything else is no.
Flag = Annotated[bool, BeforeValidator(lambda value: value is True)]


def Choice(name: str, choices: Iterable[str], limit: int = 20) -> Any:  # noqa: N802
    """One of ``choices``, any other refused as unknown (``name`` is what it is)."""
    known = frozenset(choices)

    def check(value: Any) -> str:
        if _string(value, limit) not in known:
            raise PydanticCustomError(
                NAMED, "{name} {value} is unknown", {"name": name, "value": repr(value)}
            )
        return value

    return Annotated[str, PlainValidator(check)]


def Ids(most: int | None = None) -> Any:  # noqa: N802
    """A list of ids, at most ``most`` of them."""
    expected = (
        "a list of ids is expected" if most is None else f"a list of at most {most} ids is expected"
    )

    def check(value: Any) -> list[str]:
        if (
            not isinstance(value, list)
            or (most is not None and len(value) > most)
            or not all(isinstance(item, str) and len(item) <= 32 for item in value)
        ):
            raise PydanticCustomError("ids", expected)
        return value

    return Annotated[list[str], PlainValidator(check)]
