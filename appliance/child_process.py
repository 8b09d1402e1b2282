"""Work done in a short-lived child process before a long-lived service starts.

Whatever the work loads stays in the child and goes with it: Alembic and the migration
scripts, or the 16 MiB blocks of memory Argon2 takes for each PIN the demo hashes. The
web service's master, which every worker copies, stays small.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any


def run_apart(task: Callable[..., Any], *args: Any) -> Any:
    """Run ``task(*args)`` in a forked child, wait for it and return its result.

    An exception raised by the task is raised again here.
    """
    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(task, args)
