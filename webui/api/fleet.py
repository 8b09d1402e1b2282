"""The fleet for operators at the hub: every box and how it was last heard of."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from core.domain import fleet, roles
from core.domain.clock import utcnow
from webui.api import blueprint
from webui.api.fields import Answer, Count, Id, Instant
from webui.api.shared_shapes import BuildingRef
from webui.api.spec import Response, spec
from webui.auth import staff_required
from webui.database import db


class Box(Answer):
    """A box of the fleet, as its status and telemetry last described it."""

    id: Id
    label: str
    buildings: list[BuildingRef]
    online: bool = Field(description="The broker's last word: connected or not.")
    stale: bool = Field(
        description="Said online, but silent for more than "
        f"{fleet.STALE_AFTER.total_seconds() / 60:g} minutes."
    )
    last_seen_at: Instant | None = Field(description="When the box was last heard from.")
    version: str | None
    uptime_s: Count | None
    disk_free_bytes: Count | None
    outbox_depth: Count | None = Field(description="Messages the box holds for the hub.")
    last_sync_at: Instant | None = Field(
        description="When the hub last acknowledged the box's messages."
    )
    enrolled_at: Instant

    @classmethod
    def of(cls, found: dict[str, Any]) -> Box:
        """A box as its status and telemetry last described it."""
        return cls(
            id=found["id"],
            label=found["label"],
            buildings=[BuildingRef.of(b["id"], b["name"]) for b in found["buildings"]],
            online=found["online"],
            stale=found["stale"],
            last_seen_at=found["last_seen_at"],
            version=found["version"],
            uptime_s=found["uptime_s"],
            disk_free_bytes=found["disk_free_bytes"],
            outbox_depth=found["outbox_depth"],
            last_sync_at=found["last_sync_at"],
            enrolled_at=found["enrolled_at"],
        )


class Fleet(Answer):
    """Every box: offline first, then silent, then by label."""

    boxes: list[Box]


@blueprint.get("/fleet")
@staff_required(roles.VIEW_FLEET)
@spec.validate(resp=Response(HTTP_200=Fleet), tags=["hub"])
def fleet_list():
    """Every box: offline ones first, then silent ones, then by label."""
    return Fleet(boxes=[Box.of(box) for box in fleet.list_fleet(db(), utcnow())])
