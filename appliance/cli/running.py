"""Running a long-lived process of the link in the foreground until it is told to stop."""

from __future__ import annotations

import gc
import logging
import signal
import threading
from collections.abc import Callable


def run_until_stopped(work: Callable[[threading.Event], None]) -> None:
    """Run ``work`` with an event set on SIGTERM or SIGINT, for it to end cleanly."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    # What starting made (modules, tables, the messages' models) lives as long as the
    # process: frozen, it is no longer walked by every full collection, which then costs
    # what the work made and no more.
    gc.collect()
    gc.freeze()
    work(stop)
