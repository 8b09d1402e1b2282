"""Benchmark of the link's latency, one message at a time, both ways.

With a hub ingest process and the box agent running (each in its own process), a
tenant's report is filed on the box, and then the landlord's agent moves it at the hub,
again and again with random pauses between, so that samples fall anywhere in the
polling cycles of the two processes. Two delays are measured:

- **report → acknowledged**: from the commit of the report on the box to the deletion
  of its outbox row, which happens when the hub's acknowledgement reaches the box;
- **status → box**: from the commit of the status change at the hub to the insertion of
  the status change on the box.

The box's database notes when both happen: triggers added to this copy of the box's
database only (never to the schema) write SQLite's clock (1 ms resolution) into a table
of their own, so nothing polls the box. The hub's ``boxes.last_seen_at``, set when the
hub applies a message from the box, splits the first delay into its two legs.

    .venv/bin/python -m bench.link_latency [--database sqlite|postgresql|both]

Writes bench/results/link-latency-<date>.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import random
import signal
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bench import link_estate, link_processes
from bench.link_figures import (
    common_arguments,
    run_each,
    spread,
    write_result,
)
from core.domain import report_status as rs
from core.domain import reports
from core.storage.engine import make_engine, writing
from core.storage.schema import boxes
from tests.support.mosquitto import Broker

TARGET_P99_MS = 250.0
WARM_UP_SAMPLES = 5
POLL_S = 0.002
LONGEST_WAIT_S = 10.0

# SQLite's clock in Unix seconds, to the millisecond.
_NOW = "(julianday('now') - 2440587.5) * 86400.0"
ARRIVAL_TRIGGERS = f"""
CREATE TABLE bench_arrivals (kind TEXT NOT NULL, subject TEXT, status TEXT, at REAL NOT NULL);
CREATE TRIGGER bench_outbox_gone AFTER DELETE ON outbox BEGIN
    INSERT INTO bench_arrivals VALUES ('acknowledged', old.subject_id, NULL, {_NOW});
END;
CREATE TRIGGER bench_status_in AFTER INSERT ON report_events BEGIN
    INSERT INTO bench_arrivals VALUES ('status', new.report_id, new.status, {_NOW});
END;
"""


class Arrivals:
    """Read the moments the box's triggers wrote down."""

    def __init__(self, box_file: Path) -> None:
        self.connection = sqlite3.connect(box_file, isolation_level=None, timeout=10)
        self.connection.executescript(ARRIVAL_TRIGGERS)

    def wait(self, kind: str, subject: str, status: str | None = None) -> float:
        deadline = time.monotonic() + LONGEST_WAIT_S
        query = "SELECT at FROM bench_arrivals WHERE kind = ? AND subject = ?"
        parameters: tuple[str, ...] = (kind, subject)
        if status is not None:
            query += " AND status = ?"
            parameters += (status,)
        while time.monotonic() < deadline:
            row = self.connection.execute(query, parameters).fetchone()
            if row is not None:
                return row[0]
            time.sleep(POLL_S)
        raise TimeoutError(f"no {kind} of {subject} on the box within {LONGEST_WAIT_S:.0f} s")

    def close(self) -> None:
        self.connection.close()


def _applied_at_hub(hub) -> float:
    with hub.connect() as connection:
        seen = connection.execute(
            select(boxes.c.last_seen_at).where(boxes.c.id == link_estate.BOX_ID)
        ).scalar_one()
    return seen.replace(tzinfo=UTC).timestamp()


def sample(folder: Path, broker: Broker, pair: link_estate.Pair, args) -> dict[str, list[float]]:
    """Measure the two delays ``args.samples`` times, after a few unrecorded ones."""
    hub, box = make_engine(pair.hub_url), make_engine(pair.box_url)
    arrivals = Arrivals(pair.box_dir / "box.sqlite3")
    tenant, agent = link_estate.tenant(box, pair), link_estate.agent(hub, pair)
    access = link_estate.hub_access(broker, "hub-ingest-1", pair.hub_password)
    ingest = link_processes.ingest(folder, pair.hub_url, access)
    box_agent = link_processes.agent(
        folder, pair.box_url, link_estate.BOX_ID, pair.box_access, pair.box_dir
    )
    delays: dict[str, list[float]] = {"acknowledged": [], "to_hub": [], "status": []}
    try:
        box_agent.start()
        for number in range(WARM_UP_SAMPLES + args.samples):
            with writing(box) as connection:
                report_id = reports.file(
                    connection, tenant, "lift", "lift", f"L'ascenseur est bloqué ({number})."
                )
            filed = time.time()
            acknowledged = arrivals.wait("acknowledged", report_id)
            to_hub = _applied_at_hub(hub)
            time.sleep(random.uniform(args.pause_ms[0], args.pause_ms[1]) / 1000)
            with writing(hub) as connection:
                reports.move(connection, agent, report_id, rs.ACKNOWLEDGED, "Le technicien passe.")
            moved = time.time()
            status = arrivals.wait("status", report_id, rs.ACKNOWLEDGED)
            time.sleep(random.uniform(args.pause_ms[0], args.pause_ms[1]) / 1000)
            if number >= WARM_UP_SAMPLES:
                delays["acknowledged"].append((acknowledged - filed) * 1000)
                delays["to_hub"].append((to_hub - filed) * 1000)
                delays["status"].append((status - moved) * 1000)
    finally:
        box_agent.stop()
        ingest.stop()
        arrivals.close()
        hub.dispose()
        box.dispose()
    return delays


def run_on(database: str, args) -> dict[str, Any]:
    """The whole benchmark with the hub on one database."""
    with tempfile.TemporaryDirectory(prefix="bench-link-") as temporary:
        folder = Path(temporary)
        with (
            Broker(folder / "broker", tls=False) as broker,
            link_estate.hub_database(database, folder) as hub_url,
        ):
            pair = link_estate.link_pair(folder, broker, hub_url)
            print(f"  {database}: {args.samples} samples each way…", file=sys.stderr, flush=True)
            delays = sample(folder, broker, pair, args)
    return {
        "database": database,
        "report_to_acknowledged": spread(delays["acknowledged"]),
        "report_to_hub": spread(delays["to_hub"]),
        "status_to_box": spread(delays["status"]),
    }


def table(runs: list[dict[str, Any]]) -> str:
    lines = [
        "| Hub database | Delay | Samples | p50 ms | p90 ms | p99 ms | max ms |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    names = {
        "report_to_acknowledged": "report filed → acknowledged on the box",
        "report_to_hub": "… of which: report filed → applied at the hub",
        "status_to_box": "status changed at the hub → on the box",
    }
    for run in runs:
        for key, name in names.items():
            figures = run[key]
            lines.append(
                f"| {run['database']} | {name} | {figures['samples']} | {figures['p50_ms']:.0f} "
                f"| {figures['p90_ms']:.0f} | {figures['p99_ms']:.0f} | {figures['max_ms']:.0f} |"
            )
    return "\n".join(lines)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common_arguments(parser)
    parser.add_argument("--samples", type=int, default=300, help="samples of each delay")
    parser.add_argument(
        "--pause-ms",
        type=float,
        nargs=2,
        default=[20.0, 200.0],
        metavar=("LEAST", "MOST"),
        help="random pause after each message, in milliseconds",
    )
    return parser.parse_args()


def main() -> int:
    args = arguments()
    # Stopped from outside (kill, a timeout), the broker, the databases and folders go too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = datetime.now(UTC)
    runs = run_each(args, lambda database: run_on(database, args))
    met = {
        run["database"]: all(
            run[key]["p99_ms"] <= TARGET_P99_MS
            for key in ("report_to_acknowledged", "status_to_box")
        )
        for run in runs
    }
    out = write_result(
        "link-latency",
        started,
        args.label,
        {
            "samples": args.samples,
            "pause_ms": args.pause_ms,
            "runs": runs,
            "target_p99_ms": TARGET_P99_MS,
            "meets_target": met,
        },
    )
    print(table(runs))
    print(f"\nTarget (p99 ≤ {TARGET_P99_MS:.0f} ms both ways) met: {met}\nWritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
