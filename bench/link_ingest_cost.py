"""Where a hub ingest spends its time on each message, apart from the broker and the network.

Messages are applied through ``link.inbox.at_hub_receive``, in this process, in batches
as big as the ingest takes them from its queue (``link.ingest.BATCH_MESSAGES``), in three
shapes:

- ``catch-up``: one box's reports in order, as when a box drains its outbox;
- ``fleet``: reports from 1,000 boxes in turn, as in the fleet benchmark;
- ``telemetry``: telemetry from 1,000 boxes.

For each shape: the process's CPU time per message, the SQL statements each message
costs, and the time spent inside the database driver (for SQLite, SQLite's own work; for
PostgreSQL, the round trip and the server's work). Then single statements of the apply
path are timed three ways: built anew at each call as ``link`` and ``core.domain``
build them, built once with ``bindparam``, and sent through the driver alone.

    .venv/bin/python -m bench.link_ingest_cost [--database sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import gc
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, case, event, select, update

from bench import link_estate
from bench import link_fleet_messages as messages
from bench.link_figures import common_arguments, run_each, write_result
from core.domain.clock import utcnow
from core.storage.engine import make_engine
from core.storage.schema import box_buildings, boxes
from link import inbox, topics
from link.ingest import BATCH_MESSAGES

FLEET = 1000
BROKER = {"host": "127.0.0.1", "port": 1}


class Tally:
    """Statements sent through the driver, and the time spent inside it."""

    def __init__(self, engine: Engine) -> None:
        self.statements: Counter[str] = Counter()
        self.driver_s = 0.0
        self._started = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, _connection, _cursor, statement, *_args) -> None:
        # "SELECT box_buildings.box_id FROM box_buildings WHERE …" → "SELECT box_buildings";
        # savepoints go by their verb alone, as their names change.
        words = statement.split()
        if words[0] in ("SAVEPOINT", "RELEASE", "ROLLBACK"):
            self.statements[words[0]] += 1
            self._started = time.perf_counter()
            return
        table = next(
            (words[i + 1] for i, word in enumerate(words[:-1]) if word in ("FROM", "INTO")),
            words[1] if len(words) > 1 else "",
        )
        self.statements[f"{words[0]} {table}"] += 1
        self._started = time.perf_counter()

    def _after(self, *_args) -> None:
        self.driver_s += time.perf_counter() - self._started

    def reset(self) -> None:
        self.statements.clear()
        self.driver_s = 0.0


def shapes(fleet: list[link_estate.FleetBox], count: int) -> dict[str, list[tuple[str, bytes]]]:
    """The messages of each shape, as (topic, payload) in the order they arrive."""
    first = fleet[0]
    dwellings = {box.box_id: messages.dwellings_of(box) for box in fleet}
    catch_up = [
        (topics.up(first.box_id), messages.report_filed(first, seq, dwellings[first.box_id][0]))
        for seq in range(1, count + 1)
    ]
    # The fleet's boxes start after the first, whose numbering the catch-up used.
    others = fleet[1:]
    reports = [
        (
            topics.up(box.box_id),
            messages.report_filed(box, round_ + 1, dwellings[box.box_id][round_ % 10]),
        )
        for round_ in range(count // len(others) + 1)
        for box in others
    ][:count]
    telemetry = [
        (topics.telemetry(box.box_id), messages.telemetry(box, round_ + 1, 0))
        for round_ in range(count // len(others) + 1)
        for box in others
    ][:count]
    return {"catch-up": catch_up, "fleet": reports, "telemetry": telemetry}


def apply_all(hub: Engine, tally: Tally, batches: list[tuple[str, bytes]]) -> dict[str, Any]:
    tally.reset()
    cpu, wall = time.process_time(), time.perf_counter()
    acknowledgements = 0
    for start in range(0, len(batches), BATCH_MESSAGES):
        receipt = inbox.at_hub_receive(hub, batches[start : start + BATCH_MESSAGES])
        acknowledgements += len(receipt.replies)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    count = len(batches)
    return {
        "messages": count,
        "acknowledgements": acknowledgements,
        "cpu_ms_per_message": round(cpu * 1000 / count, 3),
        "wall_ms_per_message": round(wall * 1000 / count, 3),
        "driver_ms_per_message": round(tally.driver_s * 1000 / count, 3),
        "statements_per_message": round(sum(tally.statements.values()) / count, 2),
        "statements": {
            name: round(number / count, 2) for name, number in tally.statements.most_common()
        },
    }


def _timed(work: Callable[[], Any], repeat: int) -> float:
    started = time.process_time()
    for _ in range(repeat):
        work()
    return (time.process_time() - started) * 1e6 / repeat


def statement_tiers(hub: Engine, fleet: list[link_estate.FleetBox], repeat: int) -> dict:
    """Microseconds of CPU per statement: built anew, built once, through the driver alone."""
    building, box_id = fleet[1].building_id, fleet[1].box_id
    marker = "?" if hub.dialect.name == "sqlite" else "%s"
    served_once = select(box_buildings.c.box_id).where(
        box_buildings.c.building_id == bindparam("building_id")
    )
    at = bindparam("at")
    seen_once = (
        update(boxes)
        .where(boxes.c.id == bindparam("box_id"))
        .values(
            last_seen_at=case(
                (boxes.c.last_seen_at.is_(None) | (boxes.c.last_seen_at < at), at),
                else_=boxes.c.last_seen_at,
            )
        )
    )
    with hub.connect() as connection:
        cursor = connection.connection.dbapi_connection.cursor()

        def served_anew() -> None:
            connection.execute(
                select(box_buildings.c.box_id).where(box_buildings.c.building_id == building)
            ).scalar()

        def seen_anew() -> None:
            now = utcnow()
            connection.execute(
                update(boxes)
                .where(boxes.c.id == box_id)
                .values(
                    last_seen_at=case(
                        (boxes.c.last_seen_at.is_(None) | (boxes.c.last_seen_at < now), now),
                        else_=boxes.c.last_seen_at,
                    )
                )
            )

        def served_driver() -> None:
            cursor.execute(
                f"SELECT box_id FROM box_buildings WHERE building_id = {marker}", (building,)
            )
            cursor.fetchone()

        def seen_driver() -> None:
            now = utcnow()
            cursor.execute(
                "UPDATE boxes SET last_seen_at = CASE WHEN last_seen_at IS NULL OR "
                f"last_seen_at < {marker} THEN {marker} ELSE last_seen_at END "
                f"WHERE id = {marker}",
                (now, now, box_id),
            )

        tiers = {
            "select box of a building (_building_of_box)": {
                "built_anew_us": _timed(served_anew, repeat),
                "built_once_us": _timed(
                    lambda: connection.execute(served_once, {"building_id": building}).scalar(),
                    repeat,
                ),
                "driver_only_us": _timed(served_driver, repeat),
            },
            "update last seen (fleet.record_seen)": {
                "built_anew_us": _timed(seen_anew, repeat),
                "built_once_us": _timed(
                    lambda: connection.execute(seen_once, {"box_id": box_id, "at": utcnow()}),
                    repeat,
                ),
                "driver_only_us": _timed(seen_driver, repeat),
            },
        }
        connection.rollback()
    return {
        name: {key: round(value, 1) for key, value in figures.items()}
        for name, figures in tiers.items()
    }


def run_on(database: str, args) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory(prefix="bench-link-") as temporary,
        link_estate.hub_database(database, Path(temporary)) as hub_url,
    ):
        passwords = Path(temporary) / "passwords"
        fleet, _ = link_estate.enrol_fleet(passwords, BROKER, hub_url, FLEET + 1)
        hub = make_engine(hub_url)
        tally = Tally(hub)
        try:
            batches = shapes(fleet, args.messages)
            # As the ingest process does once started (appliance/cli/running.py).
            gc.collect()
            gc.freeze()
            applied = {shape: apply_all(hub, tally, batch) for shape, batch in batches.items()}
            tiers = statement_tiers(hub, fleet, args.repeat)
        finally:
            hub.dispose()
    return {"database": database, "shapes": applied, "statement_tiers": tiers}


def table(runs: list[dict[str, Any]]) -> str:
    lines = [
        "| Hub database | Shape | CPU ms/msg | In the driver ms/msg | Statements/msg |",
        "|---|---|--:|--:|--:|",
    ]
    for run in runs:
        for shape, figures in run["shapes"].items():
            lines.append(
                f"| {run['database']} | {shape} | {figures['cpu_ms_per_message']:.3f} "
                f"| {figures['driver_ms_per_message']:.3f} | {figures['statements_per_message']} |"
            )
    lines += [
        "",
        "| Hub database | Statement | Built anew µs | Built once µs | Driver only µs |",
        "|---|---|--:|--:|--:|",
    ]
    for run in runs:
        for name, figures in run["statement_tiers"].items():
            lines.append(
                f"| {run['database']} | {name} | {figures['built_anew_us']:.0f} "
                f"| {figures['built_once_us']:.0f} | {figures['driver_only_us']:.0f} |"
            )
    return "\n".join(lines)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common_arguments(parser)
    parser.add_argument("--messages", type=int, default=6000, help="messages of each shape")
    parser.add_argument("--repeat", type=int, default=2000, help="runs of each statement")
    return parser.parse_args()


def main() -> int:
    args = arguments()
    # Stopped from outside (kill, a timeout), the broker, the databases and folders go too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = datetime.now(UTC)
    runs = run_each(args, lambda database: run_on(database, args))
    out = write_result(
        "link-ingest-cost",
        started,
        args.label,
        {"runs": runs},
    )
    print(table(runs))
    print(f"\nWritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
