"""Failed attempts are counted per key and window, in the database."""

import pytest

from appliance.domain import rate_limits
from appliance.domain.errors import TooManyAttempts


def test_a_key_is_refused_after_its_failures_until_the_window_ends(engine):
    with engine.begin() as connection:
        for _ in range(3):
            rate_limits.check(connection, "address:1.2.3.4", 3, 60, now=1000)
            rate_limits.record_failure(connection, "address:1.2.3.4", 60, now=1000)
        with pytest.raises(TooManyAttempts) as caught:
            rate_limits.check(connection, "address:1.2.3.4", 3, 60, now=1010)
        assert caught.value.retry_after == 1020 - 1010
        rate_limits.check(connection, "address:5.6.7.8", 3, 60, now=1010)
        rate_limits.check(connection, "address:1.2.3.4", 3, 60, now=1021)


def test_a_new_window_starts_counting_from_one(engine):
    with engine.begin() as connection:
        for _ in range(3):
            rate_limits.record_failure(connection, "k", 60, now=1000)
        rate_limits.record_failure(connection, "k", 60, now=1081)
        rate_limits.record_failure(connection, "k", 60, now=1082)
        rate_limits.check(connection, "k", 3, 60, now=1083)


def test_success_clears_the_failures(engine):
    with engine.begin() as connection:
        for _ in range(3):
            rate_limits.record_failure(connection, "k", 60, now=1000)
        rate_limits.clear(connection, "k")
        rate_limits.check(connection, "k", 3, 60, now=1001)
