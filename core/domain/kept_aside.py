"""What the hub kept of one box's messages, for an operator to read: the messages set
aside, and the conflicts (second messages under a number already taken).

Whatever came on a box's branch may be hostile: a payload is only ever read as text, its
first ``SHOWN_BYTES`` at most (the database cuts it, so a 3 MiB payload never reaches the
page), with control and direction characters written out as ``\\uXXXX``.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, LargeBinary, and_, func, select

from core.domain import paging
from core.storage.schema import conflicts, quarantine, received

PAGE_SIZE = 20
SHOWN_BYTES = 4000
# Each conflict is shown with its payload and its own form; the next ones come as these
# are decided.
CONFLICTS_SHOWN = 20

# Characters that would hide or reorder what is around them: controls, and the marks that
# change the direction of text (a payload could make "12" read "21").
_UNSEEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)


def as_text(payload: bytes) -> str:
    """Return a payload as text to read: invalid UTF-8 replaced, unseen characters written out."""
    text = payload.decode("utf-8", "replace")
    return _UNSEEN.sub(lambda found: f"\\u{ord(found[0]):04x}", text)


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    shown = {key: value for key, value in row.items() if key != "start"}
    shown["text"] = as_text(bytes(row["start"]))
    shown["cut"] = row["size"] > SHOWN_BYTES
    return shown


def _payload_columns(payload) -> list:
    return [
        func.length(payload).label("size"),
        func.substr(payload, 1, SHOWN_BYTES, type_=LargeBinary).label("start"),
    ]


def page(
    connection: Connection, box_id: str, before: str | None = None, size: int = PAGE_SIZE
) -> paging.Page:
    """Return a page of the messages set aside from a box, newest first: the newest ones,
    or those after ``before`` (a page's ``rest``)."""
    query = (
        select(
            quarantine.c.id,
            quarantine.c.received_at,
            quarantine.c.topic,
            quarantine.c.reason,
            *_payload_columns(quarantine.c.payload),
        )
        .where(quarantine.c.box_id == box_id)
        .order_by(quarantine.c.received_at.desc(), quarantine.c.id)
        .limit(size + 1)
    )
    if before:
        query = query.where(
            paging.beyond(quarantine, before, True, "before", written="received_at")
        )
    found = [_shown(dict(row)) for row in connection.execute(query).mappings()]
    return paging.cut(found, size, written="received_at")


def undecided_conflicts(
    connection: Connection, box_id: str, most: int = CONFLICTS_SHOWN
) -> list[dict[str, Any]]:
    """Return a box's conflicts waiting for a decision, lowest number first, each with
    what the hub remembers of the first message under its number: ``first_kept_aside``
    True (set aside), False (applied) or None (forgotten, long ago)."""
    query = (
        select(
            conflicts.c.id,
            conflicts.c.seq,
            conflicts.c.topic,
            conflicts.c.received_at,
            conflicts.c.fingerprint,
            received.c.fingerprint.label("first_fingerprint"),
            received.c.kept_aside.label("first_kept_aside"),
            *_payload_columns(conflicts.c.payload),
        )
        .outerjoin(
            received,
            and_(received.c.peer_id == conflicts.c.peer_id, received.c.seq == conflicts.c.seq),
        )
        .where(conflicts.c.peer_id == box_id, conflicts.c.decided_at.is_(None))
        .order_by(conflicts.c.seq, conflicts.c.id)
        .limit(most)
    )
    return [_shown(dict(row)) for row in connection.execute(query).mappings()]
