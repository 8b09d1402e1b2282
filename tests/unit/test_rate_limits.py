"""Failed attempts leak away per key, in the database: a burst up to the limit, then one
try each window ÷ limit — never twice the limit across a boundary."""

import pytest

from core.domain import rate_limits
from core.domain.errors import TooManyAttempts

LIMIT, WINDOW = 10, 900


def _try(connection, key: str, now: float) -> bool:
    """One wrong attempt at ``now``; False if it was refused before being evaluated."""
    try:
        rate_limits.check(connection, key, LIMIT, WINDOW, now=now)
    except TooManyAttempts:
        return False
    rate_limits.record_failure(connection, key, LIMIT, WINDOW, now=now)
    return True


def test_a_key_gets_its_limit_at_once_then_one_try_each_window_over_limit(engine):
    with engine.begin() as connection:
        evaluated = [_try(connection, "address:1.2.3.4", 1000 + n * 0.1) for n in range(20)]
        assert evaluated.count(True) == LIMIT
        with pytest.raises(TooManyAttempts) as caught:
            rate_limits.check(connection, "address:1.2.3.4", LIMIT, WINDOW, now=1002)
        # The first failure leaks away 90 s after it.
        assert caught.value.retry_after == 88
        rate_limits.check(connection, "address:5.6.7.8", LIMIT, WINDOW, now=1002)
        assert _try(connection, "address:1.2.3.4", 1090)
        assert not _try(connection, "address:1.2.3.4", 1100)


def test_no_boundary_lets_twice_the_limit_through(engine):
    """The attack on fixed 15-minute windows: tries just before and just after a boundary."""
    with engine.begin() as connection:
        tries = [895 + n * 0.5 for n in range(20)]
        assert sum(_try(connection, "code", at) for at in tries) == LIMIT


def test_a_key_quiet_for_a_whole_window_has_all_its_tries_again(engine):
    with engine.begin() as connection:
        for n in range(LIMIT):
            _try(connection, "k", 1000 + n)
        assert all(_try(connection, "k", 1000 + LIMIT + WINDOW + n * 0.1) for n in range(LIMIT))
        assert rate_limits.forget_cleared(connection, now=10**6) == 1


def test_success_clears_the_failures(engine):
    with engine.begin() as connection:
        for n in range(LIMIT):
            _try(connection, "k", 1000 + n * 0.1)
        rate_limits.clear(connection, "k")
        rate_limits.check(connection, "k", LIMIT, WINDOW, now=1001)
