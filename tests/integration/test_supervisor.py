"""The supervisor with small real processes: a child that ends is started again, one that
keeps ending stops them all, and Ctrl-C or SIGTERM stops them in reverse order."""

import itertools
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from appliance.restart_policy import RestartPolicy
from appliance.supervisor import ChildFailed, Supervisor
from tests.support.sleepers import NAMES, WATCHING, quitter, sleeper, starts, stops, within

REPOSITORY = Path(__file__).resolve().parents[2]
# Short pauses keep the tests quick; the doubling and the cap are the demo's.
QUICK = RestartPolicy(first_pause=0.2, longest_pause=0.8, burst=5, interval=60, steady=60)
# Generous: another test run may be keeping both cores busy.
SECONDS = 30


@contextmanager
def _watching(supervisor: Supervisor) -> Iterator[None]:
    watch = threading.Thread(target=supervisor.watch)
    watch.start()
    try:
        yield
    finally:
        supervisor.stop_requested.set()
        watch.join()
        supervisor.stop()


def test_a_child_killed_outright_is_started_again_and_the_others_run_on(tmp_path, capsys):
    supervisor = Supervisor(QUICK)
    calm, victim = sleeper(tmp_path, "calm"), sleeper(tmp_path, "victim")
    supervisor.start([calm])
    supervisor.start([victim])
    assert within(SECONDS, lambda: starts(calm) and starts(victim))
    calm_pid, victim_pid = calm.process.pid, victim.process.pid
    with _watching(supervisor):
        os.kill(victim_pid, signal.SIGKILL)
        assert within(SECONDS, lambda: len(starts(victim)) == 2)
        assert victim.running and victim.process.pid != victim_pid
        assert calm.running and calm.process.pid == calm_pid
        assert len(starts(calm)) == 1
    said = capsys.readouterr().err
    assert "victim ended (killed by SIGKILL)" in said
    assert f"victim started again (pid {victim.process.pid})" in said


def test_the_pause_before_each_new_start_doubles_up_to_its_cap(tmp_path, capsys):
    supervisor = Supervisor(QUICK)
    child = quitter(tmp_path, "quick-to-quit", "bye")
    supervisor.start([child])
    with pytest.raises(ChildFailed):
        supervisor.watch()
    supervisor.stop()
    pauses = [0.2, 0.4, 0.8, 0.8]
    said = capsys.readouterr().err
    assert re.findall(r"starts again in (\S+) s", said) == [f"{pause:g}" for pause in pauses]
    started = starts(child)
    assert len(started) == len(pauses) + 1
    gaps = [later - earlier for earlier, later in itertools.pairwise(started)]
    assert all(gap >= pause for gap, pause in zip(gaps, pauses, strict=True)), gaps


def test_a_child_that_keeps_ending_stops_them_all_with_the_end_of_its_log(tmp_path):
    supervisor = Supervisor(QUICK)
    calm = sleeper(tmp_path, "calm")
    failing = quitter(tmp_path, "failing", "cannot open the database")
    supervisor.start([calm])
    supervisor.start([failing])
    with pytest.raises(ChildFailed) as failure:
        supervisor.watch()
    supervisor.stop()
    assert "failing ended 5 times within 60 s (exit status 3 the last time)" in str(failure.value)
    assert str(failure.value).endswith("cannot open the database")
    assert not calm.running and stops(tmp_path) == ["calm"]


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_or_sigterm_stops_every_child_last_started_first(tmp_path, number):
    supervising = subprocess.Popen(
        [sys.executable, "-m", "tests.support.sleepers", str(tmp_path)],
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        pids = [int(pid) for pid in supervising.stdout.readline().removeprefix(WATCHING).split()]
        children = [sleeper(tmp_path, name) for name in NAMES]
        assert within(SECONDS, lambda: all(starts(child) for child in children))
        supervising.send_signal(number)
        assert supervising.wait(SECONDS) == 0
    finally:
        if supervising.poll() is None:
            os.killpg(supervising.pid, signal.SIGKILL)
            supervising.wait()
    assert stops(tmp_path) == list(reversed(NAMES))
    assert not [pid for pid in pids if Path(f"/proc/{pid}").exists()]
