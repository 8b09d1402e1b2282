"""Checked reading of the values a message body carries (docs/PROTOCOL.md)."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Any

from sync.envelope import MAX_SEQ, Refused

JPEG_START = b"\xff\xd8\xff"
# PostgreSQL's ``integer`` and ``bigint``: a value outside its column cannot be stored.
INTEGER = (-(2**31), 2**31 - 1)
BIG_INTEGER = (0, 2**63 - 1)
# An acknowledgement names at most this many numbers kept for an operator.
MOST_DISPUTED = 100
MAX_PHOTO_BYTES = 2 * 1024 * 1024


def text(body: dict[str, Any], name: str, limit: int, optional: bool = False) -> str | None:
    """Return a string field no longer than ``limit``."""
    value = body.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise Refused(f"{name}: a string of at most {limit} characters is expected")
    return value


def integer(
    body: dict[str, Any], name: str, within: tuple[int, int] = INTEGER, optional: bool = False
) -> int | None:
    """Return an integer field from ``within[0]`` to ``within[1]`` (None for an optional
    one that is null or absent)."""
    value = body.get(name)
    if value is None and optional:
        return None
    return _bounded(value, name, within)


def _bounded(value: Any, name: str, within: tuple[int, int]) -> int:
    least, most = within
    if type(value) is not int or not least <= value <= most:
        raise Refused(f"{name}: an integer from {least} to {most} is expected")
    return value


def cursor(body: dict[str, Any], optional: bool = False) -> int | None:
    """Return the number of the last message the sender says it has applied."""
    return integer(body, "applied", (0, MAX_SEQ), optional)


def disputed(body: dict[str, Any]) -> list[int]:
    """Return the numbers an acknowledgement says are kept for an operator (none if absent)."""
    value = body.get("disputed", [])
    if not isinstance(value, list) or len(value) > MOST_DISPUTED:
        raise Refused(f"disputed: a list of at most {MOST_DISPUTED} numbers is expected")
    return [_bounded(seq, "disputed", (1, MAX_SEQ)) for seq in value]


def obj(body: dict[str, Any], name: str, optional: bool = False) -> dict[str, Any] | None:
    """Return an object field (None for an optional one that is null or absent)."""
    value = body.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, dict):
        raise Refused(f"{name}: an object is expected")
    return value


def moment(body: dict[str, Any], name: str, optional: bool = False) -> datetime | None:
    """Return a datetime field written in ISO 8601."""
    value = text(body, name, 40, optional)
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise Refused(f"{name}: an ISO 8601 date and time is expected") from None


def day(body: dict[str, Any], name: str, optional: bool = False) -> date | None:
    """Return a date field written in ISO 8601."""
    value = text(body, name, 10, optional)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Refused(f"{name}: an ISO 8601 date is expected") from None


def jpeg(body: dict[str, Any], name: str) -> bytes:
    """Return the JPEG a field carries in base64."""
    value = text(body, name, MAX_PHOTO_BYTES * 4 // 3 + 4)
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise Refused(f"{name}: base64 is expected") from None
    # The sender re-encoded it; this only makes sure nothing else passes for a photo.
    if not data.startswith(JPEG_START):
        raise Refused(f"{name}: not a JPEG image")
    return data
