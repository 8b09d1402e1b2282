"""Messages a box sends the hub, built as the box's agent writes them, for tests of the hub."""

from __future__ import annotations

import json

from sqlalchemy import event, func, select

from core.domain.clock import new_id
from link.envelope import Envelope

AT = "2026-12-01T10:00:00"


def envelope(box: str, kind: str, body: dict, seq: int | None = None) -> bytes:
    return Envelope(new_id(), box, kind, AT, body, seq).encode()


def filed(
    box: str, building: str, dwelling: dict, seq: int, photo_ids=(), household: dict | None = None
) -> bytes:
    """A report as a box sends it; without ``household``, as a box before the agents saw
    who filed it."""
    body = {
        "report": {
            "id": new_id(),
            "number": seq,
            "building_id": building,
            "category": "lift",
            "location": "lift",
            "description": f"Bloqué, signalement {seq}",
            "created_at": AT,
        },
        "dwelling": dwelling,
        "photo_ids": list(photo_ids),
    }
    if household is not None:
        body["household"] = household
    return envelope(box, "report.filed", body, seq)


def dwelling(building: str, reference: str, dwelling_id: str | None = None) -> dict:
    return {
        "id": dwelling_id or new_id(),
        "building_id": building,
        "reference": reference,
        "staircase": "1",
        "floor": 1,
    }


def telemetry(box: str, uptime: int) -> bytes:
    body = {
        "version": "1.4.0",
        "uptime_s": uptime,
        "disk_free_bytes": 10**9,
        "outbox_depth": 0,
        "last_sync_at": None,
    }
    return envelope(box, "telemetry", body)


def count(engine, table, *where) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table).where(*where)).scalar()


class Statements:
    """Counts the statements sent to the database."""

    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1


def acked(receipt) -> list[tuple[str, int]]:
    return [(topic, json.loads(payload)["body"]["applied"]) for topic, payload in receipt.replies]
