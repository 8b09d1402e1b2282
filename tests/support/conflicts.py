"""Conflicts at the hub, made as they happen: box A's report #1 applied, then another
message under #1."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from core.storage.schema import conflicts
from link import topics
from link.inbox import at_hub_receive
from tests.support import hub_messages as sent

UP_A = topics.up("box-a")


def report_of_box_a(place, building: str = "a", **report) -> bytes:
    """Box A's report #1 from the first dwelling of building A (or B), with ``report``'s
    fields changed."""
    building_id = getattr(place, f"building_{building}")
    reference = f"{building.upper()}-01"
    dwelling = sent.dwelling(building_id, reference, place.dwellings[reference])
    message = json.loads(sent.filed("box-a", building_id, dwelling, 1))
    message["body"]["report"].update(report)
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()


def conflict(engine, place, second: bytes, first: bytes | None = None) -> int:
    """Have box A's #1 applied (``first``, or a report), then ``second`` under the same
    number; return the conflict's id."""
    at_hub_receive(engine, [(UP_A, first or report_of_box_a(place))])
    at_hub_receive(engine, [(UP_A, second)])
    with engine.connect() as connection:
        return connection.execute(select(func.max(conflicts.c.id))).scalar_one()
