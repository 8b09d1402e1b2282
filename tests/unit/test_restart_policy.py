"""The pause before a child that ended starts again, and when it is given up on."""

from appliance.restart_policy import RestartPolicy, Restarts

POLICY = RestartPolicy(first_pause=1, longest_pause=8, burst=5, interval=60, steady=30)


def test_the_pause_doubles_at_each_quick_death_up_to_the_longest():
    restarts = Restarts(RestartPolicy(burst=100))
    pauses = [restarts.after_death(at=second, ran_for=0.5) for second in range(8)]
    assert pauses == [1, 2, 4, 8, 16, 30, 30, 30]


def test_a_child_that_ran_steadily_starts_over_from_the_first_pause():
    restarts = Restarts(POLICY)
    assert [restarts.after_death(at, ran_for=1) for at in (0, 2, 5)] == [1, 2, 4]
    assert restarts.after_death(at=45, ran_for=30) == 1


def test_a_child_is_given_up_on_at_its_fifth_death_within_a_minute():
    restarts = Restarts(POLICY)
    assert [restarts.after_death(at, ran_for=1) for at in (0, 2, 5, 10)] == [1, 2, 4, 8]
    assert restarts.after_death(at=19, ran_for=1) is None


def test_deaths_older_than_the_interval_are_forgotten():
    restarts = Restarts(POLICY)
    assert None not in [restarts.after_death(at, ran_for=1) for at in (0, 20, 40, 59)]
    assert restarts.after_death(at=61, ran_for=1) is not None
