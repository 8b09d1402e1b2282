"""What a simulated box of the fleet benchmarks says, in the envelopes of docs/PROTOCOL.md.

Reports are built as the box builds them (``core.messages.reports.report_filed``) and
wrapped as ``link.inbox.outgoing`` wraps an outbox row: numbered 1, 2, 3… per box.
"""

from __future__ import annotations

from typing import Any

from bench.link_estate import FleetBox
from core.domain.clock import new_id, utcnow
from link.envelope import STATUS, TELEMETRY, Envelope

DWELLINGS_PER_BOX = 10


def dwellings_of(box: FleetBox) -> list[dict[str, Any]]:
    """The dwellings a simulated box files reports for, as a report carries them."""
    return [
        {
            "id": new_id(),
            "building_id": box.building_id,
            "reference": f"{box.box_id}-{number:02d}",
            "staircase": "A",
            "floor": number,
        }
        for number in range(DWELLINGS_PER_BOX)
    ]


def report_filed(box: FleetBox, seq: int, dwelling: dict[str, Any]) -> bytes:
    """Report number ``seq`` of the box, without photos."""
    now = utcnow().isoformat()
    body = {
        "report": {
            "id": new_id(),
            "number": seq,
            "building_id": box.building_id,
            "category": "noise",
            "location": "hall",
            "description": f"Bruit dans le hall toute la nuit, encore ({seq}).",
            "created_at": now,
        },
        "dwelling": dwelling,
        "photo_ids": [],
    }
    return Envelope(
        id=new_id(), box=box.box_id, kind="report.filed", at=now, body=body, seq=seq
    ).encode()


def telemetry(box: FleetBox, count: int, outbox_depth: int) -> bytes:
    """Telemetry whose ``uptime_s`` is ``count``: the hub's table then counts what it applied."""
    body = {
        "version": "bench",
        "uptime_s": count,
        "disk_free_bytes": 8 << 30,
        "outbox_depth": outbox_depth,
        "last_sync_at": utcnow().isoformat(),
    }
    return Envelope(
        id=new_id(), box=box.box_id, kind=TELEMETRY, at=utcnow().isoformat(), body=body
    ).encode()


def status(box: FleetBox, online: bool) -> bytes:
    """The retained "online" on connection, or the last will "offline"."""
    return Envelope(
        id=new_id(),
        box=box.box_id,
        kind=STATUS,
        at=utcnow().isoformat(),
        body={"online": online, "version": "bench"},
    ).encode()
