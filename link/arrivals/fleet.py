"""What a box's status and telemetry tell the hub of it, and what any message it sends
does: it was seen (docs/PROTOCOL.md, "Connecting", "Telemetry")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.domain import fleet
from link import typed_body
from link.control_bodies import Status, Telemetry


def fleet_change(channel: str, body: dict[str, Any], at: datetime) -> dict[str, Any]:
    """Return what a message on a box's channel tells of the box (for ``fleet.record``)."""
    if channel == "status":
        status = typed_body.read(Status, body)
        return fleet.status_change(status.online, status.version, at)
    if channel == "telemetry":
        figures = typed_body.read(Telemetry, body)
        return fleet.telemetry_change(
            at,
            version=figures.version,
            uptime_s=figures.uptime_s,
            disk_free_bytes=figures.disk_free_bytes,
            outbox_depth=figures.outbox_depth,
            last_sync_at=figures.last_sync_at,
        )
    return fleet.seen_change(at)
