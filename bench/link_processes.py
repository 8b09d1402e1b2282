"""The hub ingest and the box agent, each in a process of its own as in the field.

Each child is started fresh (``spawn``), imports the code and builds its engine and its
MQTT client before it says it is ready, so the figures leave out Python's start-up: the
ingest is ready once connected to the broker, the agent connects only when told to go.
The child's CPU time is read from ``/proc``; the ingest may also be profiled.
"""

from __future__ import annotations

import cProfile
import logging
import multiprocessing
import threading
import time
from pathlib import Path
from typing import Any

from bench.link_figures import cpu_seconds
from link.mqtt_link import BrokerAccess

CONTEXT = multiprocessing.get_context("spawn")
READY_TIMEOUT_S = 60.0


class Child:
    """A process running one side of the link until told to stop."""

    def __init__(self, target, *args: Any) -> None:
        self.ready = CONTEXT.Event()
        self.go = CONTEXT.Event()
        self.stopping = CONTEXT.Event()
        self.process = CONTEXT.Process(
            target=target, args=(*args, self.ready, self.go, self.stopping), daemon=True
        )
        self.process.start()
        if not self.ready.wait(READY_TIMEOUT_S):
            self.stop()
            raise RuntimeError(f"{target.__name__} was not ready in {READY_TIMEOUT_S:.0f} s")

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)

    def main_thread_cpu_seconds(self) -> float:
        """CPU time of the child's main thread: the one that applies messages."""
        return cpu_seconds(self.pid, self.pid)

    def start(self) -> None:
        self.go.set()

    def stop(self, timeout: float = 15.0) -> None:
        """Ask the child to finish its work cleanly; kill it if it does not."""
        self.stopping.set()
        self.go.set()
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout)


def _logging(log_file: str) -> None:
    logging.basicConfig(
        filename=log_file, level=logging.INFO, format="%(asctime)s %(name)s %(message)s"
    )


def _stop_event(stopping) -> threading.Event:
    # The work loops look at their event on every turn: a thread's event costs less than
    # a look at the shared one, which takes a lock between processes.
    stop = threading.Event()

    def relay() -> None:
        stopping.wait()
        stop.set()

    threading.Thread(target=relay, daemon=True).start()
    return stop


def run_ingest(
    url: str, access: BrokerAccess, log_file: str, profile_file: str | None, ready, go, stopping
) -> None:
    """Child: a hub ingest process, ready once connected to the broker."""
    from core.storage.engine import make_engine
    from link.ingest import HubIngest

    _logging(log_file)
    engine = make_engine(url)
    ingest = HubIngest(engine, access)
    stop = _stop_event(stopping)

    def say_ready() -> None:
        if ingest.mqtt.connected.wait(READY_TIMEOUT_S):
            ready.set()

    threading.Thread(target=say_ready, daemon=True).start()
    # CPU time of the thread, not the clock: on a shared machine, time spent waiting for a
    # core or for the database would otherwise show up in whatever happened to be running.
    profile = cProfile.Profile(time.thread_time) if profile_file else None
    if profile:
        profile.enable()
    try:
        ingest.run(stop)
    finally:
        if profile:
            profile.disable()
            profile.dump_stats(profile_file)
        engine.dispose()


def run_agent(
    url: str,
    box_id: str,
    access: BrokerAccess,
    data_dir: str,
    log_file: str,
    profile_file: str | None,
    ready,
    go,
    stopping,
) -> None:
    """Child: a box agent, ready once built, connecting only when told to go."""
    from core.storage.engine import make_engine
    from link.agent import BoxAgent

    _logging(log_file)
    engine = make_engine(url)
    # Telemetry once at start only: the figures are about reports and answers.
    agent = BoxAgent(engine, box_id, access, data_dir, telemetry_every_s=3600.0)
    stop = _stop_event(stopping)
    ready.set()
    go.wait()
    profile = cProfile.Profile(time.thread_time) if profile_file else None
    if profile:
        profile.enable()
    try:
        agent.run(stop)
    finally:
        if profile:
            profile.disable()
            profile.dump_stats(profile_file)
        engine.dispose()


def ingest(folder: Path, url: str, access: BrokerAccess, profile: Path | None = None) -> Child:
    """Start a hub ingest process; it is connected when this returns.

    With ``profile``, the ingest's main thread (the one that applies messages) runs under
    cProfile and its statistics are written there when it stops; the network thread is
    not profiled.
    """
    profile_file = str(profile) if profile else None
    return Child(run_ingest, url, access, str(folder / "ingest.log"), profile_file)


def agent(
    folder: Path,
    url: str,
    box_id: str,
    access: BrokerAccess,
    data_dir: Path,
    profile: Path | None = None,
) -> Child:
    """Start a box agent process; it connects when started (profiled as the ingest is)."""
    profile_file = str(profile) if profile else None
    log_file = str(folder / "agent.log")
    return Child(run_agent, url, box_id, access, str(data_dir), log_file, profile_file)
