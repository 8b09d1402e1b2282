"""When the box runs short: video waits, sound goes on, video comes back when calm."""

from appliance.services.rooms.shortage import CALM_S, LATE_S, LATE_TIMES, Shortage

LATE = LATE_S * 2
ON_TIME = 0.001


def test_a_loop_late_several_times_running_pauses_video():
    shortage = Shortage()
    changes = [shortage.observe(LATE, now=n * 0.1) for n in range(LATE_TIMES)]
    assert changes == [None] * (LATE_TIMES - 1) + ["pause"]
    assert shortage.observe(LATE, now=1.0) is None  # said once


def test_one_late_wake_up_alone_is_not_a_shortage():
    shortage = Shortage()
    for n in range(20):
        lateness = LATE if n % LATE_TIMES == 0 else ON_TIME
        assert shortage.observe(lateness, now=n * 0.1) is None
    assert not shortage.short


def test_video_comes_back_only_after_the_loop_is_calm_for_a_while():
    shortage = Shortage()
    for n in range(LATE_TIMES):
        shortage.observe(LATE, now=n * 0.1)
    assert shortage.short
    assert shortage.observe(ON_TIME, now=1.0) is None
    assert shortage.observe(ON_TIME, now=1.0 + CALM_S / 2) is None
    # Late again: the calm starts over.
    assert shortage.observe(LATE, now=1.0 + CALM_S * 0.9) is None
    assert shortage.observe(ON_TIME, now=1.0 + CALM_S * 1.1) is None
    assert shortage.observe(ON_TIME, now=1.0 + CALM_S * 1.5) is None
    assert shortage.observe(ON_TIME, now=1.0 + CALM_S * 2.2) == "resume"
    assert not shortage.short
