"""Received messages wait per sender, are taken in turn, and a flooding sender is cut off."""

from __future__ import annotations

import logging

from link import fair_queue
from link.fair_queue import FairQueue

BIG = 1 << 30


def _sender(topic: str) -> str:
    return topic.split("/")[0]


def _queue(most_messages: int = 100, most_bytes: int = BIG) -> FairQueue:
    return FairQueue(_sender, most_messages, most_bytes)


def _take(queue: FairQueue, most: int = 100, share: int = 100, most_bytes: int = BIG) -> list:
    taken = queue.take(most, 0, most_bytes, lambda _sender: share)
    return [payload.decode() for _topic, payload in taken]


def _put(queue: FairQueue, sender: str, *payloads: str) -> int:
    """Put each payload as a message of its own; return how many were dropped."""
    return sum(queue.put(f"{sender}/up", [payload.encode()]) for payload in payloads)


def test_senders_are_served_in_turn_each_in_the_order_it_sent():
    queue = _queue()
    _put(queue, "flood", "f1", "f2", "f3", "f4")
    _put(queue, "box", "b1", "b2")
    assert _take(queue) == ["f1", "b1", "f2", "b2", "f3", "f4"]


def test_one_sender_gets_no_more_than_its_share_of_a_batch_and_the_rest_comes_next():
    queue = _queue()
    _put(queue, "flood", "f1", "f2", "f3", "f4", "f5")
    _put(queue, "box", "b1")
    assert _take(queue, share=2) == ["f1", "b1", "f2"]
    _put(queue, "late", "l1")
    # A sender that comes since takes its turn in the line.
    assert _take(queue, share=2) == ["f3", "l1", "f4"]
    assert _take(queue, share=2) == ["f5"]


def test_a_resting_sender_is_not_served_and_keeps_its_place():
    queue = _queue()
    _put(queue, "flood", "f1", "f2")
    _put(queue, "box", "b1")
    assert queue.take(10, 0, BIG, lambda _sender: 10, resting={"flood"}) == [("box/up", b"b1")]
    assert queue.take(10, 0.01, BIG, lambda _sender: 10, resting={"flood"}) == []
    assert _take(queue) == ["f1", "f2"]


def test_a_batch_ends_at_its_size_in_messages_or_in_bytes():
    queue = _queue()
    _put(queue, "a", "1234", "5678", "9abc")
    assert _take(queue, most=2) == ["1234", "5678"]
    _put(queue, "b", "defg", "hijk")
    assert _take(queue, most_bytes=5) == ["9abc", "defg"]


def test_what_a_sender_sends_beyond_its_bound_is_dropped_and_the_others_go_on():
    queue = _queue(most_messages=2, most_bytes=10)
    assert _put(queue, "flood", "f1", "f2", "f3") == 1
    assert _put(queue, "box", "0123456789", "b") == 1
    assert _take(queue) == ["f1", "0123456789", "f2"]
    # Taken, they leave room again.
    assert _put(queue, "flood", "f4") == 0
    assert _take(queue) == ["f4"]


def test_the_envelopes_of_one_message_go_in_as_far_as_there_is_room():
    queue = _queue(most_messages=3)
    _put(queue, "box", "b1")
    assert queue.put("box/up", [b"b2", b"b3", b"b4", b"b5"]) == 2
    assert _take(queue) == ["b1", "b2", "b3"]


def test_a_message_without_envelopes_leaves_nothing_to_take():
    queue = _queue()
    assert queue.put("box/up", []) == 0
    assert queue.take(10, 0.01, BIG, lambda _sender: 10) == []


def test_a_message_bigger_than_the_bound_passes_when_its_sender_has_nothing_waiting():
    queue = _queue(most_bytes=4)
    _put(queue, "box", "a photo")
    assert _take(queue) == ["a photo"]


def test_an_empty_queue_gives_nothing_after_the_wait():
    assert _queue().take(10, 0.01, BIG, lambda _sender: 10) == []


def test_drops_are_told_in_one_line_at_most_once_a_minute(monkeypatch, caplog):
    clock = [1000.0]
    monkeypatch.setattr(fair_queue.time, "monotonic", lambda: clock[0])
    queue = _queue(most_messages=1)
    _put(queue, "flood", "f1", "more", "more", "more")
    with caplog.at_level(logging.WARNING, logger="link.fair_queue"):
        _take(queue)
        _put(queue, "flood", "f2", "more")
        clock[0] += 30
        _take(queue)
        clock[0] += 31
        _take(queue)
    told = [record.getMessage() for record in caplog.records]
    assert len(told) == 2
    assert told[0].endswith("flood 3")
    assert told[1].endswith("flood 1")


def test_nothing_is_told_when_nothing_was_dropped(caplog):
    queue = _queue()
    _put(queue, "box", "b1", "b2")
    with caplog.at_level(logging.WARNING, logger="link.fair_queue"):
        _take(queue)
    assert not caplog.records
