"""Messages ahead of their turn come back a few times, then are left to the sender."""

import time

from sync.try_again import TryAgain

EARLY = ("rc/v1/box/a/up", b"8")


def test_a_held_message_comes_back_after_a_moment_and_not_before():
    waiting = TryAgain(every=0.05, for_at_most=1.0)
    waiting.hold([EARLY])
    assert waiting.due() == []
    time.sleep(0.06)
    assert waiting.due() == [EARLY]
    assert waiting.due() == []


def test_a_message_still_ahead_after_its_time_is_dropped():
    waiting = TryAgain(every=0.01, for_at_most=0.05)
    waiting.hold([EARLY])
    deadline = time.monotonic() + 1
    while time.monotonic() < deadline:
        time.sleep(0.015)
        again = waiting.due()
        waiting.hold(again)
    time.sleep(0.02)
    assert waiting.due() == []
