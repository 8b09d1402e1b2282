"""A plain batch from many boxes is applied with grouped writes, and gives the same result."""

from __future__ import annotations

import base64
import io
import json

from PIL import Image
from sqlalchemy import event, func, select

from appliance.domain import link
from appliance.domain.clock import new_id
from appliance.storage.schema import (
    boxes,
    dwellings,
    photos,
    quarantine,
    report_events,
    report_messages,
    report_photos,
    reports,
)
from sync import topics
from sync.envelope import Envelope
from sync.inbox import at_hub_receive

AT = "2026-12-01T10:00:00"


def _envelope(box: str, kind: str, body: dict, seq: int | None = None) -> bytes:
    return Envelope(new_id(), box, kind, AT, body, seq).encode()


def _filed(box: str, building: str, dwelling: dict, seq: int, photo_ids=()) -> bytes:
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
    return _envelope(box, "report.filed", body, seq)


def _dwelling(building: str, reference: str, dwelling_id: str | None = None) -> dict:
    return {
        "id": dwelling_id or new_id(),
        "building_id": building,
        "reference": reference,
        "staircase": "1",
        "floor": 1,
    }


def _telemetry(box: str, uptime: int) -> bytes:
    body = {
        "version": "1.4.0",
        "uptime_s": uptime,
        "disk_free_bytes": 10**9,
        "outbox_depth": 0,
        "last_sync_at": None,
    }
    return _envelope(box, "telemetry", body)


def _count(engine, table, *where) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table).where(*where)).scalar()


class Statements:
    """Counts the statements sent to the database."""

    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1


def _acked(receipt) -> list[tuple[str, int]]:
    return [(topic, json.loads(payload)["body"]["applied"]) for topic, payload in receipt.replies]


def test_reports_and_telemetry_of_many_boxes_are_written_in_a_handful_of_statements(
    engine, hub_with_two_boxes
):
    place = hub_with_two_boxes
    known = _dwelling(place.building_a, "A-01", place.dwellings["A-01"])
    new_a, new_b = _dwelling(place.building_a, "A-99"), _dwelling(place.building_b, "B-99")
    first_a = _filed("box-a", place.building_a, known, 1)
    batch = [(topics.up("box-a"), first_a)]
    batch += [(topics.up("box-a"), _filed("box-a", place.building_a, new_a, s)) for s in (2, 3)]
    batch += [(topics.up("box-b"), _filed("box-b", place.building_b, new_b, s)) for s in (1, 2)]
    # A copy sent again, telemetry, and the broker's word that a box is online.
    batch += [
        (topics.up("box-a"), first_a),
        (topics.telemetry("box-b"), _telemetry("box-b", 3600)),
        (topics.status("box-a"), _envelope("box-a", "status", {"online": True, "version": "1.4"})),
    ]
    statements = Statements(engine)

    receipt = at_hub_receive(engine, batch)

    assert _acked(receipt) == [(topics.down("box-a"), 3), (topics.down("box-b"), 2)]
    # One by one, each report costs about ten statements.
    assert statements.count <= 14
    assert _count(engine, reports) == 5
    assert _count(engine, report_events) == 5
    assert _count(engine, dwellings, dwellings.c.reference.in_(["A-99", "B-99"])) == 2
    assert _count(engine, quarantine) == 0
    with engine.connect() as connection:
        fleet_rows = {row.id: row for row in connection.execute(select(boxes))}
        assert link.applied_seq(connection, "box-a") == 3
        assert link.applied_seq(connection, "box-b") == 2
    assert fleet_rows["box-a"].online and fleet_rows["box-a"].version == "1.4"
    assert fleet_rows["box-b"].uptime_s == 3600 and fleet_rows["box-b"].last_seen_at is not None


def _jpeg() -> str:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "JPEG")
    return base64.b64encode(out.getvalue()).decode()


def test_a_photo_its_report_and_a_message_on_it_in_one_batch_follow_each_other(
    engine, hub_with_two_boxes
):
    place = hub_with_two_boxes
    photo_id, dwelling = new_id(), _dwelling(place.building_a, "A-01", place.dwellings["A-01"])
    photo = {"photo_id": photo_id, "jpeg": _jpeg(), "width": 8, "height": 8}
    filed = _filed("box-a", place.building_a, dwelling, 2, photo_ids=[photo_id])
    report_id = json.loads(filed)["body"]["report"]["id"]
    message = {
        "report_id": report_id,
        "message_id": new_id(),
        "author_name": "Karim",
        "body": "Toujours bloqué.",
        "created_at": AT,
    }
    batch = [
        (topics.up("box-a"), _envelope("box-a", "photo.added", photo, 1)),
        (topics.up("box-a"), filed),
        (topics.up("box-a"), _envelope("box-a", "report.message", message, 3)),
    ]

    assert _acked(at_hub_receive(engine, batch)) == [(topics.down("box-a"), 3)]
    assert _count(engine, photos) == 1
    assert _count(engine, report_photos, report_photos.c.report_id == report_id) == 1
    assert _count(engine, report_messages, report_messages.c.report_id == report_id) == 1


def test_one_report_that_cannot_apply_leaves_the_rest_of_its_batch_applied(
    engine, hub_with_two_boxes
):
    place = hub_with_two_boxes
    dwelling = _dwelling(place.building_a, "A-01", place.dwellings["A-01"])
    twice = json.loads(_filed("box-a", place.building_a, dwelling, 2))
    # The same report number twice in one building: the second is refused by the database.
    twice["body"]["report"]["number"] = 1
    batch = [
        (topics.up("box-a"), _filed("box-a", place.building_a, dwelling, 1)),
        (topics.up("box-a"), json.dumps(twice).encode()),
        (topics.up("box-a"), _filed("box-a", place.building_a, dwelling, 3)),
        (topics.telemetry("box-b"), _telemetry("box-b", 60)),
    ]

    assert _acked(at_hub_receive(engine, batch)) == [(topics.down("box-a"), 3)]
    assert _count(engine, reports) == 2
    assert _count(engine, quarantine) == 1
    with engine.connect() as connection:
        assert connection.execute(select(boxes.c.uptime_s).where(boxes.c.id == "box-b")).scalar()
