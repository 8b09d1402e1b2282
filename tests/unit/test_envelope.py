"""The envelope: what is read, and what is refused with a reason to keep aside."""

from __future__ import annotations

import json

import pytest

from sync.envelope import MAX_BYTES, SEQUENCED_UP, Envelope, Refused, decode

UP = SEQUENCED_UP | {"ack", "hello"}


def _raw(**changes) -> bytes:
    message = {
        "v": 1,
        "id": "m1",
        "box": "box-a",
        "seq": 3,
        "kind": "report.message",
        "at": "2026-12-01T10:00:00",
        "body": {"report_id": "r1"},
    }
    message.update(changes)
    return json.dumps({k: v for k, v in message.items() if v is not None}).encode()


def test_an_envelope_reads_back_what_was_written():
    sent = Envelope("m1", "box-a", "report.filed", "2026-12-01T10:00:00", {"x": "é"}, seq=7)
    assert decode(sent.encode(), UP) == sent


def test_acknowledgements_carry_no_number():
    ack = decode(_raw(kind="ack", seq=None, body={"applied": 4}), UP)
    assert ack.seq is None and ack.body == {"applied": 4}


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"\xff\xfe not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (_raw(v=2), "unknown protocol version 2"),
        (_raw(id=None), "id missing"),
        (_raw(kind="report.deleted"), "unknown kind"),
        (_raw(kind="news.published"), "unknown kind"),
        (_raw(seq=None), "seq missing"),
        (_raw(seq=0), "seq missing"),
        (_raw(seq=True), "seq missing"),
        (_raw(body=[]), "body missing"),
        (_raw(body={"text": "x" * MAX_BYTES}), "over the"),
    ],
)
def test_what_cannot_be_read_is_refused_with_its_reason(payload, reason):
    with pytest.raises(Refused, match=reason):
        decode(payload, UP)


@pytest.mark.parametrize(
    "payload",
    [_raw(v=2), _raw(kind="report.deleted"), _raw(body={"text": "x" * MAX_BYTES}), _raw(at=None)],
)
def test_a_refused_message_still_tells_its_sender_and_number_when_it_can(payload):
    with pytest.raises(Refused) as refused:
        decode(payload, UP)
    assert (refused.value.box, refused.value.seq) == ("box-a", 3)
