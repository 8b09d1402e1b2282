"""The bodies of the link's messages: each kind's model is written as the protocol says
and read back the same, and what does not fit is refused naming its field."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from pydantic import ValidationError

from core.messages.events import EventPublished, EventReplied
from core.messages.noticeboard import PostModerated
from core.messages.photos import PhotoAdded
from core.messages.publications import WorksAnnounced
from core.messages.reports import ReportFiled, ReportStatus
from link import inbox, typed_body
from link.arrivals import at_box, at_hub
from link.control_bodies import Ack, Telemetry, written
from link.envelope import SEQUENCED_DOWN, SEQUENCED_UP, Refused

# Bodies as docs/PROTOCOL.md shows them.
FILED = {
    "report": {
        "id": "5c1e9a7b3d2f4e6a8b0c1d2e3f4a5b6c",
        "number": 17,
        "building_id": "b7e1c0a45f2d4e0b9c3a8d6f1e2b4c70",
        "category": "lift",
        "location": "lift",
        "description": "L'ascenseur est bloqué au 3e.",
        "created_at": "2026-12-01T08:15:02.104518",
    },
    "dwelling": {
        "id": "d9a3f1c2e4b5460f8a7c6d5e4f3a2b10",
        "building_id": "b7e1c0a45f2d4e0b9c3a8d6f1e2b4c70",
        "reference": "A-01",
        "staircase": "A",
        "floor": 3,
    },
    "photo_ids": ["f0e1d2c3b4a5968778695a4b3c2d1e0f"],
    "household": {"name": "Odette", "locale": "fr", "contact": "06 12 34 56 78"},
}
STATUS = {
    "event_id": "9a0b1c2d3e4f45a6b7c8d9e0f1a2b3c4",
    "report_id": "5c1e9a7b3d2f4e6a8b0c1d2e3f4a5b6c",
    "status": "scheduled",
    "note": "Le technicien passe jeudi.",
    "scheduled_for": "2026-12-04",
    "duplicate_of": None,
    "actor_name": "Agent",
    "created_at": "2026-12-01T14:31:09.208413",
}
WORKS = {
    "notice": {
        "id": "e4f5a6b7c8d94ae0f1a2b3c4d5e6f708",
        "scope_kind": "residence",
        "scope_ref": "b7e1c0a45f2d4e0b9c3a8d6f1e2b4c70",
        "title": "Remplacement de la porte du hall",
        "location": "Hall A",
        "photo_id": None,
        "starts_on": "2026-12-14",
        "ends_on": "2026-12-16",
        "tenant_action": "Passez par la porte du parking.",
        "published_at": "2026-12-02T10:15:00.318440",
        "language": "fr",
        "versions": {
            "ar": {
                "title": "تغيير باب المدخل",
                "location": "المدخل A",
                "tenant_action": "ادخلوا من باب موقف السيارات.",
            }
        },
    },
    "publisher": {
        "id": "f5a6b7c8d9e04f1a2b3c4d5e6f708192",
        "name": "Habitat Méditerranée",
        "kind": "landlord",
    },
}


def _as_the_outbox_writes(body) -> str:
    # As ``outbox`` writes a body in the outbox: Python's datetimes in ISO 8601.
    return json.dumps(body.model_dump(), default=lambda value: value.isoformat())


@pytest.mark.parametrize(
    ("model", "body"), [(ReportFiled, FILED), (ReportStatus, STATUS), (WorksAnnounced, WORKS)]
)
def test_a_body_reads_and_writes_back_as_the_protocol_shows_it(model, body):
    assert _as_the_outbox_writes(typed_body.read(model, body)) == json.dumps(body)


def test_a_builder_hands_python_values_written_as_on_the_wire():
    photo = PhotoAdded(photo_id="p" * 32, jpeg=b"\xff\xd8\xff\xe0", width=4, height=3)
    reply = EventReplied(
        event_id="e" * 32, profile_id="f" * 32, people=2, at=datetime(2026, 12, 1, 8, 0)
    )
    assert json.loads(_as_the_outbox_writes(photo))["jpeg"] == "/9j/4A=="
    assert json.loads(_as_the_outbox_writes(reply))["at"] == "2026-12-01T08:00:00"
    assert typed_body.read(PhotoAdded, json.loads(_as_the_outbox_writes(photo))) == photo
    status = typed_body.read(ReportStatus, STATUS)
    assert status.scheduled_for == date(2026, 12, 4)


INTEGER = "an integer from -2147483648 to 2147483647 is expected"


@pytest.mark.parametrize(
    ("model", "body", "reason"),
    [
        (ReportStatus, {**STATUS, "status": "exploded"}, "status 'exploded' is unknown"),
        (
            ReportStatus,
            {**STATUS, "scheduled_for": "soon"},
            "scheduled_for: an ISO 8601 date is expected",
        ),
        (
            ReportStatus,
            {**STATUS, "note": None},
            "note: a string of at most 2000 characters is expected",
        ),
        (
            ReportFiled,
            {**FILED, "report": {**FILED["report"], "description": "x" * 2001}},
            "report.description: a string of at most 2000 characters is expected",
        ),
        (ReportFiled, {**FILED, "report": "?"}, "report: an object is expected"),
        (
            ReportFiled,
            {**FILED, "photo_ids": ["a", "b", "c", "d"]},
            "photo_ids: a list of at most 3 ids is expected",
        ),
        (
            ReportFiled,
            {**FILED, "dwelling": {**FILED["dwelling"], "floor": True}},
            f"dwelling.floor: {INTEGER}",
        ),
        (ReportFiled, {"dwelling": FILED["dwelling"]}, "report: missing"),
        (
            PhotoAdded,
            {"photo_id": "p", "jpeg": "aGVsbG8=", "width": 1, "height": 1},
            "jpeg: not a JPEG image",
        ),
        (
            PhotoAdded,
            {"photo_id": "p", "jpeg": "?!", "width": 1, "height": 1},
            "jpeg: base64 is expected",
        ),
        (
            PostModerated,
            {"post_id": "p", "kind": "post", "id": "p", "hidden": True, "at": None},
            "body: hidden_by and at are expected when hidden",
        ),
        (
            Telemetry,
            {"version": "1", "uptime_s": "long"},
            "uptime_s: an integer from 0 to 9223372036854775807 is expected",
        ),
        (
            Ack,
            {"applied": 3, "disputed": [0]},
            "disputed: a list of at most 100 numbers is expected",
        ),
    ],
)
def test_what_does_not_fit_is_refused_naming_its_field(model, body, reason):
    with pytest.raises(Refused) as refused:
        typed_body.read(model, body)
    assert str(refused.value) == reason


def test_a_refusal_from_a_body_is_from_the_content_and_kept_aside():
    with pytest.raises(ValidationError) as invalid:
        Ack.model_validate({"applied": -1})
    assert inbox.from_content(invalid.value)


def test_fields_the_receiver_does_not_know_are_ignored():
    assert typed_body.read(Ack, {"applied": 3, "later": {"x": 1}}) == Ack(applied=3)


def test_the_links_own_bodies_say_only_what_their_maker_gave():
    assert written(Ack(applied=4)) == {"applied": 4}
    figures = Telemetry(
        version="1", uptime_s=1, disk_free_bytes=2, outbox_depth=0, last_sync_at=None, applied=0
    )
    assert list(written(figures)) == [
        "version",
        "uptime_s",
        "disk_free_bytes",
        "outbox_depth",
        "last_sync_at",
        "applied",
    ]


def test_each_side_applies_every_numbered_kind_it_may_receive():
    assert set(at_hub.ARRIVALS) == SEQUENCED_UP
    assert set(at_box.ARRIVALS) == SEQUENCED_DOWN


def test_an_event_has_a_video_room_only_when_the_body_says_true():
    event = {
        "id": "e" * 32,
        "scope": "residence",
        "residence_id": "r" * 32,
        "building_id": "b" * 32,
        "title": "Comité",
        "description": "",
        "place": "Hall",
        "starts_at": "2026-12-10T18:00:00",
        "ends_at": "2026-12-10T19:00:00",
        "organiser": "Le comité",
        "created_at": "2026-12-01T09:00:00",
        "updated_at": "2026-12-01T09:00:00",
    }
    # A box not yet updated sends no such field: its events have no room.
    assert typed_body.read(EventPublished, {"event": event}).event.video_room is False
    said = {"event": {**event, "video_room": True}}
    assert typed_body.read(EventPublished, said).event.video_room is True
    assert (
        typed_body.read(EventPublished, {"event": {**event, "video_room": "yes"}}).event.video_room
        is False
    )
