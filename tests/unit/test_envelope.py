"""The envelope: what is read, and what is refused with a reason to keep aside."""

from __future__ import annotations

import json

import pytest

from link.envelope import (
    BUNDLE_BYTES,
    BUNDLE_MOST,
    MAX_BYTES,
    SEQUENCED_UP,
    Envelope,
    Refused,
    bundle,
    decode,
    encode_with_body,
    unbundle,
)

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
    [_raw(v=2), _raw(kind="report.deleted"), _raw(at=None)],
)
def test_a_refused_message_still_tells_its_sender_and_number_when_it_can(payload):
    with pytest.raises(Refused) as refused:
        decode(payload, UP)
    assert (refused.value.box, refused.value.seq) == ("box-a", 3)


def test_a_message_over_the_size_limit_is_refused_before_it_is_read():
    # No sender of the link writes one, so its number is not worth the reading.
    with pytest.raises(Refused) as refused:
        decode(_raw(body={"text": "x" * MAX_BYTES}), UP)
    assert (refused.value.box, refused.value.seq) == (None, None)


def test_a_body_kept_as_json_travels_as_it_is_and_reads_back():
    body = json.dumps({"report_id": "r1", "texte": "Fenêtre cassée\nau 2e"}, ensure_ascii=False)
    sent = encode_with_body("m1", "box-a", 4, "report.message", "2026-12-01T10:00:00", body)
    assert b"\n" not in sent
    assert decode(sent, UP) == Envelope(
        "m1", "box-a", "report.message", "2026-12-01T10:00:00", json.loads(body), seq=4
    )


def _numbered(seq: int, padding: int = 0) -> bytes:
    body = {"report_id": "r1", "padding": "x" * padding}
    return Envelope(f"m{seq}", "box-a", "report.message", "2026-12-01T10:00:00", body, seq).encode()


def test_consecutive_envelopes_for_one_topic_share_mqtt_messages_in_their_order():
    messages = [("up/a", _numbered(n)) for n in range(1, 251)]
    messages += [("up/b", _numbered(1)), ("up/a", _numbered(251))]
    bundles = bundle(messages)
    assert [(topic, len(unbundle(payload))) for topic, payload in bundles] == [
        ("up/a", BUNDLE_MOST),
        ("up/a", BUNDLE_MOST),
        ("up/a", 50),
        ("up/b", 1),
        ("up/a", 1),
    ]
    carried = [(topic, envelope) for topic, payload in bundles for envelope in unbundle(payload)]
    assert carried == messages


def test_a_bundle_stays_under_its_size_and_a_big_envelope_goes_alone():
    photo = _numbered(2, padding=BUNDLE_BYTES)
    small = [_numbered(n, padding=BUNDLE_BYTES // 3) for n in (3, 4, 5, 6)]
    bundles = bundle([("up/a", _numbered(1)), ("up/a", photo)] + [("up/a", m) for m in small])
    assert [len(unbundle(payload)) for _topic, payload in bundles] == [1, 1, 2, 2]
    assert all(len(payload) <= BUNDLE_BYTES for _topic, payload in bundles if payload != photo)


def test_a_single_envelope_is_its_own_mqtt_message_and_blank_lines_carry_nothing():
    one = _numbered(1)
    assert unbundle(one) == [one]
    assert unbundle(one + b"\n\n" + one + b"\n") == [one, one]
    assert unbundle(b"") == [b""]
