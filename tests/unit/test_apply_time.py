"""Each box earns a share of the hub ingest's time; a box that spent more waits its turn."""

from __future__ import annotations

from link.apply_time import ApplyTime


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_box_may_spend_its_burst_at_once_then_rests_until_it_has_earned_it_back():
    clock = Clock()
    time = ApplyTime(rate=0.25, burst=2.0, stretch=0.1, clock=clock)
    time.spend("flood", 1.5, 100)
    assert time.resting() == frozenset()
    time.spend("flood", 1.0, 100)
    assert time.resting() == {"flood"}
    # Half a second in debt, earned back at a quarter of a second a second.
    clock.now += 1.9
    assert time.resting() == {"flood"}
    clock.now += 0.2
    assert time.resting() == frozenset()


def test_other_boxes_are_not_held_by_one_that_spent_too_much():
    time = ApplyTime(rate=0.25, burst=1.0, stretch=0.1, clock=Clock())
    time.spend("flood", 3.0, 100)
    time.spend("box", 0.5, 100)
    assert time.resting() == {"flood"}


def test_a_box_earns_no_more_than_its_burst_however_long_it_was_quiet():
    clock = Clock()
    time = ApplyTime(rate=0.25, burst=1.0, stretch=0.1, clock=clock)
    time.spend("box", 0.1, 100)
    clock.now += 3600
    time.spend("box", 1.2, 100)
    assert time.resting() == {"box"}


def test_a_box_whose_messages_cost_much_gets_a_smaller_share_at_a_stretch():
    time = ApplyTime(rate=0.25, burst=2.0, stretch=0.1, clock=Clock())
    assert time.share("flood", 500) == 500
    # 500 junk messages refused one by one took 1.25 s: 40 of them take a tenth.
    time.spend("flood", 1.25, 500)
    assert time.share("flood", 500) == 40
    # A box catching up, its reports in grouped writes, keeps its whole share.
    time.spend("box", 0.05, 500)
    assert time.share("box", 500) == 500
