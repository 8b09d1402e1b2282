"""Trouble on the boxes' links, for the operators at the hub: what was set aside, what
waits, and which boxes are stuck.

The figures of the whole fleet come from one grouped query per table (set aside,
conflicts, held, the hub's outbox), so the fleet page costs the same few statements for
ten boxes or ten thousand.

A box is **stuck** when its link will not put itself right, and an operator must look:

- ``held``: messages from it have been held for more than ``STUCK_AFTER``. They came
  ahead of one that never arrived, so its cursor does not move;
- ``conflicts``: a second message under a number already applied waits for an
  operator's decision. The box keeps its copy until then (docs/PROTOCOL.md, "Copies and
  conflicts");
- ``downlink``: the hub's messages to it were written more than ``STUCK_AFTER`` ago and
  still wait although it is online: it does not acknowledge them. A box held offline is
  sent nothing, so there waiting is normal.

- ``certificate``: the hub failed to obtain the box's certificate (the authority or the
  DNS provider out of reach, or refusing), or the box refused the chain it was sent. The
  hub tries again by itself, but the certificate in use runs out meanwhile.

Messages set aside do not make a box stuck: the messages behind them went on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Connection, Select, func, select

from core.storage.schema import box_certificates, boxes, conflicts, held, outbox, quarantine

# A lost message is sent again after 10 s and whatever was held behind it follows at
# once; a box coming back online is sent everything waiting for it at once. Five minutes
# is thirty resends: past that, waiting is no longer the link catching up.
STUCK_AFTER = timedelta(minutes=5)

HELD = "held"
CONFLICTS = "conflicts"
DOWNLINK = "downlink"
CERTIFICATE = "certificate"


@dataclass(frozen=True)
class Trouble:
    """What is wrong on one box's link (all zero and None: nothing)."""

    kept_aside: int = 0
    last_reason: str | None = None
    last_kept_at: datetime | None = None
    conflicts: int = 0
    held: int = 0
    held_since: datetime | None = None
    for_the_box: int = 0
    for_the_box_since: datetime | None = None
    certificate_error: str | None = None
    certificate_failed_at: datetime | None = None
    certificate_refusal: str | None = None
    stuck: tuple[str, ...] = ()


CLEAR = Trouble()


def _among(query: Select, column: ColumnElement, box_ids: list[str] | None) -> Select:
    # Only the boxes named, when some are: one box's page needs only its own figures.
    return query if box_ids is None else query.where(column.in_(box_ids))


def _kept_aside(connection: Connection, box_ids: list[str] | None) -> dict[str, dict]:
    counted = (
        _among(
            select(
                quarantine.c.box_id,
                func.count().label("kept_aside"),
                func.max(quarantine.c.id).label("newest"),
            ).where(quarantine.c.box_id.is_not(None)),
            quarantine.c.box_id,
            box_ids,
        )
        .group_by(quarantine.c.box_id)
        .subquery()
    )
    rows = connection.execute(
        select(
            counted.c.box_id,
            counted.c.kept_aside,
            quarantine.c.reason.label("last_reason"),
            quarantine.c.received_at.label("last_kept_at"),
        ).join(quarantine, quarantine.c.id == counted.c.newest)
    ).mappings()
    return {
        row["box_id"]: {
            "kept_aside": row["kept_aside"],
            "last_reason": row["last_reason"],
            "last_kept_at": row["last_kept_at"],
        }
        for row in rows
    }


def _undecided(connection: Connection, box_ids: list[str] | None) -> dict[str, dict]:
    rows = connection.execute(
        _among(
            select(conflicts.c.peer_id, func.count().label("conflicts")).where(
                conflicts.c.decided_at.is_(None)
            ),
            conflicts.c.peer_id,
            box_ids,
        ).group_by(conflicts.c.peer_id)
    ).mappings()
    return {row["peer_id"]: {"conflicts": row["conflicts"]} for row in rows}


def _held(connection: Connection, box_ids: list[str] | None) -> dict[str, dict]:
    rows = connection.execute(
        _among(
            select(
                held.c.peer_id,
                func.count().label("held"),
                func.min(held.c.received_at).label("held_since"),
            ),
            held.c.peer_id,
            box_ids,
        ).group_by(held.c.peer_id)
    ).mappings()
    return {row["peer_id"]: {"held": row["held"], "held_since": row["held_since"]} for row in rows}


def _for_the_box(connection: Connection, box_ids: list[str] | None) -> dict[str, dict]:
    rows = connection.execute(
        _among(
            select(
                outbox.c.peer_id,
                boxes.c.online,
                func.count().label("for_the_box"),
                func.min(outbox.c.created_at).label("for_the_box_since"),
            ).join(boxes, boxes.c.id == outbox.c.peer_id),
            outbox.c.peer_id,
            box_ids,
        ).group_by(outbox.c.peer_id, boxes.c.online)
    ).mappings()
    return {
        row["peer_id"]: {
            "for_the_box": row["for_the_box"],
            "for_the_box_since": row["for_the_box_since"],
            "online": bool(row["online"]),
        }
        for row in rows
    }


def _certificates(connection: Connection, box_ids: list[str] | None) -> dict[str, dict]:
    c = box_certificates.c
    rows = connection.execute(
        _among(
            select(c.box_id, c.last_error, c.failed_at, c.refusal).where(
                (c.last_error.is_not(None)) | (c.refusal.is_not(None))
            ),
            c.box_id,
            box_ids,
        )
    ).mappings()
    return {
        row["box_id"]: {
            "certificate_error": row["last_error"],
            "certificate_failed_at": row["failed_at"],
            "certificate_refusal": row["refusal"],
        }
        for row in rows
    }


def _stuck(trouble: Trouble, online: bool, now: datetime) -> tuple[str, ...]:
    late = now - STUCK_AFTER
    reasons = []
    if trouble.held_since is not None and trouble.held_since < late:
        reasons.append(HELD)
    if trouble.conflicts:
        reasons.append(CONFLICTS)
    if online and trouble.for_the_box_since is not None and trouble.for_the_box_since < late:
        reasons.append(DOWNLINK)
    if trouble.certificate_error or trouble.certificate_refusal:
        reasons.append(CERTIFICATE)
    return tuple(reasons)


def of_fleet(
    connection: Connection, now: datetime, box_ids: Iterable[str] | None = None
) -> dict[str, Trouble]:
    """Return the trouble of every box that has some (of these boxes only, when named);
    a box left out has none (``CLEAR``)."""
    wanted = None if box_ids is None else list(box_ids)
    figures: dict[str, dict] = {}
    for found in (
        _kept_aside(connection, wanted),
        _undecided(connection, wanted),
        _held(connection, wanted),
        _for_the_box(connection, wanted),
        _certificates(connection, wanted),
    ):
        for box_id, values in found.items():
            figures.setdefault(box_id, {}).update(values)
    trouble = {}
    for box_id, values in figures.items():
        online = values.pop("online", False)
        plain = Trouble(**values)
        trouble[box_id] = replace(plain, stuck=_stuck(plain, online, now))
    return trouble


def of_box(connection: Connection, box_id: str, now: datetime) -> Trouble:
    """Return the trouble of one box."""
    return of_fleet(connection, now, [box_id]).get(box_id, CLEAR)
