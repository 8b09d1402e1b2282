"""A plain batch from many boxes is applied with grouped writes, and gives the same result."""

from __future__ import annotations

import base64
import io
import json

from PIL import Image
from sqlalchemy import select

from core.domain import cursor
from core.domain.clock import new_id
from core.storage.schema import (
    boxes,
    dwellings,
    photos,
    quarantine,
    report_events,
    report_messages,
    report_photos,
    reports,
)
from link import topics
from link.inbox import at_hub_receive
from tests.support import hub_messages as sent


def test_reports_and_telemetry_of_many_boxes_are_written_in_a_handful_of_statements(
    engine, hub_with_two_boxes
):
    place = hub_with_two_boxes
    known = sent.dwelling(place.building_a, "A-01", place.dwellings["A-01"])
    new_a, new_b = sent.dwelling(place.building_a, "A-99"), sent.dwelling(place.building_b, "B-99")
    first_a = sent.filed("box-a", place.building_a, known, 1)
    batch = [(topics.up("box-a"), first_a)]
    batch += [(topics.up("box-a"), sent.filed("box-a", place.building_a, new_a, s)) for s in (2, 3)]
    batch += [(topics.up("box-b"), sent.filed("box-b", place.building_b, new_b, s)) for s in (1, 2)]
    # A copy sent again, telemetry, and the broker's word that a box is online.
    batch += [
        (topics.up("box-a"), first_a),
        (topics.telemetry("box-b"), sent.telemetry("box-b", 3600)),
        (
            topics.status("box-a"),
            sent.envelope("box-a", "status", {"online": True, "version": "1.4"}),
        ),
    ]
    statements = sent.Statements(engine)

    receipt = at_hub_receive(engine, batch)

    assert sent.acked(receipt) == [(topics.down("box-a"), 3), (topics.down("box-b"), 2)]
    # One by one, each report costs about ten statements.
    assert statements.count <= 14
    assert sent.count(engine, reports) == 5
    assert sent.count(engine, report_events) == 5
    assert sent.count(engine, dwellings, dwellings.c.reference.in_(["A-99", "B-99"])) == 2
    assert sent.count(engine, quarantine) == 0
    with engine.connect() as connection:
        fleet_rows = {row.id: row for row in connection.execute(select(boxes))}
        assert cursor.applied_seq(connection, "box-a") == 3
        assert cursor.applied_seq(connection, "box-b") == 2
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
    photo_id, dwelling = new_id(), sent.dwelling(place.building_a, "A-01", place.dwellings["A-01"])
    photo = {"photo_id": photo_id, "jpeg": _jpeg(), "width": 8, "height": 8}
    filed = sent.filed("box-a", place.building_a, dwelling, 2, photo_ids=[photo_id])
    report_id = json.loads(filed)["body"]["report"]["id"]
    message = {
        "report_id": report_id,
        "message_id": new_id(),
        "author_name": "Karim",
        "body": "Toujours bloqué.",
        "created_at": sent.AT,
    }
    batch = [
        (topics.up("box-a"), sent.envelope("box-a", "photo.added", photo, 1)),
        (topics.up("box-a"), filed),
        (topics.up("box-a"), sent.envelope("box-a", "report.message", message, 3)),
    ]

    assert sent.acked(at_hub_receive(engine, batch)) == [(topics.down("box-a"), 3)]
    assert sent.count(engine, photos) == 1
    assert sent.count(engine, report_photos, report_photos.c.report_id == report_id) == 1
    assert sent.count(engine, report_messages, report_messages.c.report_id == report_id) == 1


def test_one_report_that_cannot_apply_leaves_the_rest_of_its_batch_applied(
    engine, hub_with_two_boxes
):
    place = hub_with_two_boxes
    dwelling = sent.dwelling(place.building_a, "A-01", place.dwellings["A-01"])
    twice = json.loads(sent.filed("box-a", place.building_a, dwelling, 2))
    # The same report number twice in one building: the second is refused by the database.
    twice["body"]["report"]["number"] = 1
    batch = [
        (topics.up("box-a"), sent.filed("box-a", place.building_a, dwelling, 1)),
        (topics.up("box-a"), json.dumps(twice).encode()),
        (topics.up("box-a"), sent.filed("box-a", place.building_a, dwelling, 3)),
        (topics.telemetry("box-b"), sent.telemetry("box-b", 60)),
    ]

    assert sent.acked(at_hub_receive(engine, batch)) == [(topics.down("box-a"), 3)]
    assert sent.count(engine, reports) == 2
    assert sent.count(engine, quarantine) == 1
    with engine.connect() as connection:
        assert connection.execute(select(boxes.c.uptime_s).where(boxes.c.id == "box-b")).scalar()
