"""Benchmark: does one person slow everyone else down? A box's web service under gunicorn
(``residacoeur box web``, 2 workers of 2 threads, as on a box) over a small estate on
SQLite, while a neighbour's household keeps reading its home page and changing its
language (a write); the neighbour's answer times are measured in four phases of the same
run:

- quiet: nobody else;
- slow senders: a signed-in tenant sends two JSON bodies at once, a byte a second each,
  starting again whenever the box cuts one off;
- two readers: one person on two devices reads the same conversation, their
  notifications and their home page without pause;
- tab storm: one person's eight tabs reload their pages without pause.

    .venv/bin/python -m bench.held_database [--seconds 20]

Writes bench/results/held-database-<date>.json and prints a markdown table; the figures
go to docs/PERFORMANCE.md, compared as ratios to the quiet phase of the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from bench.link_figures import spread, write_result
from core.domain import conversations, people
from core.domain.clock import utcnow
from core.secrets import ensure_secrets
from core.storage import migrations
from core.storage.engine import make_engine, writing
from core.storage.schema import profiles
from tests.conftest import build_estate
from tests.integration.gunicorn_box import RunningBox, Visitor
from tests.support.web_visitors import SlowSender, api_token, change_language, tenant

PAGES = ("/", "/reports", "/messages", "/notifications")


class Estate:
    """The box's data folder with the small estate and its codes."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="bench-held-"))
        pepper = ensure_secrets(self.folder)["access_code_pepper"]
        self.engine = make_engine(f"sqlite:///{self.folder / 'box.sqlite3'}")
        migrations.upgrade(self.engine)
        with writing(self.engine) as connection:
            self.codes = build_estate(connection, pepper).codes

    def conversation(self, writer: str, reader: str) -> str:
        with writing(self.engine) as connection:
            connection.execute(update(profiles).values(charter_accepted_at=utcnow()))
            ids = dict(connection.execute(select(profiles.c.display_name, profiles.c.id)).all())
            profile = people.get_profile(connection, ids[writer])
            return conversations.write(connection, profile, ids[reader], "Bonjour voisine !")

    def remove(self) -> None:
        self.engine.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)


def _repeat(stop: threading.Event, work: Callable[[], None]) -> threading.Thread:
    def loop() -> None:
        while not stop.is_set():
            work()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return thread


def _probe(neighbour: Visitor, token: str, seconds: float) -> dict[str, Any]:
    """The neighbour reads their home page and changes their language, in turn."""
    delays, statuses = [], Counter()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            status, _page = neighbour.get("/")
        except OSError:
            status = 0
        delays.append((time.monotonic() - started) * 1000)
        statuses[status] += 1
        status, took = change_language(neighbour, token, "en" if len(delays) % 4 else "fr")
        delays.append(took * 1000)
        statuses[status] += 1
    return {"delay": spread(delays), "answers": dict(statuses)}


def _slow_senders(url: str, senders: list[Visitor], stop: threading.Event) -> list:
    def send(visitor: Visitor) -> Callable[[], None]:
        def once() -> None:
            sender = SlowSender(url, visitor)
            sender.answer()
            sender.close()

        return once

    return [_repeat(stop, send(visitor)) for visitor in senders]


def _readers(visitors: list[Visitor], paths: tuple[str, ...], stop: threading.Event) -> list:
    def read(visitor: Visitor, path: str) -> Callable[[], None]:
        def once() -> None:
            with contextlib.suppress(OSError):
                visitor.get(path)

        return once

    return [_repeat(stop, read(visitor, path)) for visitor in visitors for path in paths]


def run(seconds: float) -> dict[str, Any]:
    estate = Estate()
    box = RunningBox(estate.folder, workers=2)
    try:
        neighbour = tenant(box.url, estate.codes["B-01"], "Samia")
        token = api_token(neighbour)
        reader = tenant(box.url, estate.codes["A-01"], "Odette")
        tenant(box.url, estate.codes["A-02"], "Marcel")
        conversation = estate.conversation("Marcel", "Odette")
        second_device = Visitor(box.url)
        second_device.opener = reader.opener
        # Two requests at once from one signed-in tenant.
        slow = [tenant(box.url, estate.codes["A-03"], "Lent")] * 2
        phases: dict[str, Callable[[threading.Event], list]] = {
            "quiet": lambda stop: [],
            "slow senders": lambda stop: _slow_senders(box.url, slow, stop),
            "two readers": lambda stop: _readers(
                [reader, second_device], (f"/messages/{conversation}", "/notifications", "/"), stop
            ),
            "tab storm": lambda stop: _readers([reader] * 8, PAGES, stop),
        }
        results = {}
        for name, start in phases.items():
            print(f"  {name}…", file=sys.stderr, flush=True)
            stop = threading.Event()
            threads = start(stop)
            results[name] = _probe(neighbour, token, seconds)
            stop.set()
            for thread in threads:
                thread.join(40)
        return results
    finally:
        box.stop()
        estate.remove()


def table(results: dict[str, Any]) -> str:
    quiet = results["quiet"]["delay"]["p99_ms"]
    lines = [
        "| Phase | Neighbour's requests | Answers | p50 ms | p90 ms | p99 ms | max ms "
        "| p99 ÷ quiet |",
        "|---|--:|---|--:|--:|--:|--:|--:|",
    ]
    for name, figures in results.items():
        delay = figures["delay"]
        answers = ", ".join(f"{count} × {status}" for status, count in figures["answers"].items())
        lines.append(
            f"| {name} | {delay['samples']:,} | {answers} | {delay['p50_ms']:.0f} "
            f"| {delay['p90_ms']:.0f} | {delay['p99_ms']:.0f} | {delay['max_ms']:.0f} "
            f"| {delay['p99_ms'] / quiet:.2f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument("--label", default="", help="a note kept with the result")
    args = parser.parse_args()
    started = datetime.now(UTC)
    results = run(args.seconds)
    out = write_result("held-database", started, args.label, {"phases": results})
    print(table(results))
    print(f"\nWritten to {out}")
    # Every answer to the neighbour a success: anything else is a failure of the box.
    return 0 if all(set(r["answers"]) == {200} for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
