"""Benchmark of one hub ingest process serving a fleet of 1,000 boxes.

A thousand boxes are enrolled at the hub, one building each, each with its own broker
credentials. A few processes simulate them (``bench/link_fleet_boxes.py``): every box
connects, sends telemetry every few seconds and reports at a steady pace, with proper
envelopes and sequence numbers, and waits for the hub's acknowledgements like the box
agent. One hub ingest process (``link.ingest.HubIngest``, in its own process) applies
what arrives. After a warm-up, the benchmark counts what the hub has applied — from its
own database — and the CPU time the ingest, the broker, the simulated boxes and (on
PostgreSQL) the ingest's database backends used.

    .venv/bin/python -m bench.link_fleet [--database sqlite|postgresql|both]

Writes bench/results/link-fleet-<date>.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select, text

from bench import link_estate, link_fleet_boxes, link_processes
from bench.link_figures import (
    RESULTS,
    common_arguments,
    cpu_seconds,
    machine_busy_seconds,
    run_each,
    write_result,
)
from core.storage.engine import make_engine
from core.storage.schema import boxes, peers, quarantine
from tests.support.mosquitto import HOST, Broker

TARGET_MESSAGES_PER_S = 2000
CONNECT_TIMEOUT_S = 180.0


class Simulators:
    """The processes that simulate the boxes, with the counters they share."""

    def __init__(self, fleet: list[link_estate.FleetBox], port: int, args) -> None:
        context = link_processes.CONTEXT
        pace = link_fleet_boxes.Pace(args.report_every, args.telemetry_every, args.window)
        self.go, self.stopping = context.Event(), context.Event()
        self.counters, self.processes, readies = [], [], []
        for number in range(args.processes):
            share = fleet[number :: args.processes]
            counters = context.Array("q", link_fleet_boxes.COUNTERS, lock=False)
            ready = context.Event()
            process = context.Process(
                target=link_fleet_boxes.run,
                args=(share, HOST, port, pace, counters, ready, self.go, self.stopping),
                daemon=True,
            )
            process.start()
            self.counters.append(counters)
            self.processes.append(process)
            readies.append(ready)
        deadline = time.monotonic() + CONNECT_TIMEOUT_S
        for ready in readies:
            if not ready.wait(max(0.0, deadline - time.monotonic())):
                self.stop()
                raise RuntimeError(f"the simulated boxes did not connect: {self.totals()}")

    def totals(self) -> dict[str, int]:
        names = ("reports_due", "reports_sent", "telemetry_sent", "acks_received")
        names += ("connected", "lost", "held_back")
        return {
            name: sum(counters[index] for counters in self.counters)
            for index, name in enumerate(names)
        }

    def cpu_seconds(self) -> float:
        return sum(cpu_seconds(process.pid) for process in self.processes)

    def stop(self) -> None:
        self.stopping.set()
        self.go.set()
        for process in self.processes:
            process.join(15)
            if process.is_alive():
                process.kill()


def hub_counts(hub: Engine) -> dict[str, int]:
    """What the hub has applied so far: numbered messages, telemetry, messages kept aside."""
    with hub.connect() as connection:
        applied = connection.execute(select(func.coalesce(func.sum(peers.c.applied_seq), 0)))
        telemetry = connection.execute(select(func.coalesce(func.sum(boxes.c.uptime_s), 0)))
        kept_aside = connection.execute(select(func.count()).select_from(quarantine))
        return {
            "reports_applied": int(applied.scalar_one()),
            "telemetry_applied": int(telemetry.scalar_one()),
            "kept_aside": kept_aside.scalar_one(),
        }


def database_backends(hub: Engine) -> list[int]:
    """PostgreSQL: the server processes of the hub database's other connections."""
    if hub.dialect.name != "postgresql":
        return []
    with hub.connect() as connection:
        return list(
            connection.execute(
                text(
                    "SELECT pid FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalars()
        )


def snapshot(hub: Engine, ingest, broker: Broker, simulators: Simulators, backends) -> dict:
    return {
        "at": time.monotonic(),
        "hub": hub_counts(hub),
        "boxes": simulators.totals(),
        "cpu": {
            "ingest": ingest.cpu_seconds(),
            "ingest_main_thread": ingest.main_thread_cpu_seconds(),
            "broker": cpu_seconds(broker.pid),
            "simulated_boxes": simulators.cpu_seconds(),
            "database_backends": sum(cpu_seconds(pid) for pid in backends),
            # Everything that ran, other work on the machine included.
            "machine": machine_busy_seconds(),
        },
    }


def rates(first: dict, last: dict) -> dict[str, Any]:
    """Turn two snapshots into rates over the time between them."""
    seconds = last["at"] - first["at"]

    def per_s(group: str, name: str) -> float:
        return (last[group][name] - first[group][name]) / seconds

    applied = per_s("hub", "reports_applied") + per_s("hub", "telemetry_applied")
    cores = {name: (last["cpu"][name] - first["cpu"][name]) / seconds for name in first["cpu"]}
    ingest_ms = cores["ingest"] * 1000 / applied if applied else None
    return {
        "seconds": round(seconds, 1),
        "applied_per_s": round(applied),
        "reports_applied_per_s": round(per_s("hub", "reports_applied")),
        "telemetry_applied_per_s": round(per_s("hub", "telemetry_applied")),
        "offered_per_s": round(per_s("boxes", "reports_due") + per_s("boxes", "telemetry_sent")),
        "sent_per_s": round(per_s("boxes", "reports_sent") + per_s("boxes", "telemetry_sent")),
        "acks_received_per_s": round(per_s("boxes", "acks_received")),
        "cores_used": {name: round(value, 2) for name, value in cores.items()},
        "ingest_cpu_ms_per_message": round(ingest_ms, 3) if ingest_ms else None,
    }


def run_on(database: str, args, profile: Path | None) -> dict[str, Any]:
    """The whole benchmark with the hub on one database."""
    with tempfile.TemporaryDirectory(prefix="bench-link-") as temporary:
        folder = Path(temporary)
        with (
            Broker(folder / "broker", tls=False) as broker,
            link_estate.hub_database(database, folder) as hub_url,
        ):
            print(f"  {database}: enrolling {args.boxes:,} boxes…", file=sys.stderr, flush=True)
            enrolling = time.monotonic()
            fleet, hub_password = link_estate.enrol_fleet(
                broker.files.passwords, link_estate.broker_of(broker), hub_url, args.boxes
            )
            broker.reload()
            enrolled_s = time.monotonic() - enrolling
            access = link_estate.hub_access(broker, "hub-ingest-1", hub_password)
            ingest = link_processes.ingest(folder, hub_url, access, profile)
            hub = make_engine(hub_url)
            simulators = None
            try:
                print(f"  {database}: connecting them…", file=sys.stderr, flush=True)
                connecting = time.monotonic()
                simulators = Simulators(fleet, broker.port, args)
                connected_s = time.monotonic() - connecting
                backends = database_backends(hub)
                simulators.go.set()
                print(
                    f"  {database}: {args.warmup} s warm-up, {args.seconds} s measured…",
                    file=sys.stderr,
                    flush=True,
                )
                time.sleep(args.warmup)
                first = snapshot(hub, ingest, broker, simulators, backends)
                time.sleep(args.seconds)
                last = snapshot(hub, ingest, broker, simulators, backends)
            finally:
                if simulators is not None:
                    simulators.stop()
                ingest.stop()
                hub.dispose()
    measured = rates(first, last)
    return {
        "database": database,
        "boxes": args.boxes,
        "simulator_processes": args.processes,
        "enrol_s": round(enrolled_s, 1),
        "connect_s": round(connected_s, 1),
        "database_backends": len(backends),
        **measured,
        "at_end": {"hub": last["hub"], "boxes": last["boxes"]},
        "backlog_at_end": last["boxes"]["reports_sent"] - last["hub"]["reports_applied"],
    }


def table(runs: list[dict[str, Any]]) -> str:
    lines = [
        "| Hub database | Boxes | Offered msg/s | Applied msg/s (reports + telemetry) "
        "| Ingest cores | Ingest CPU ms/msg | Broker cores | Boxes' cores | DB cores "
        "| Machine cores busy |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for run in runs:
        cores = run["cores_used"]
        database_cores = f"{cores['database_backends']:.2f}" if run["database_backends"] else "–"
        lines.append(
            f"| {run['database']} | {run['boxes']:,} | {run['offered_per_s']:,} "
            f"| {run['applied_per_s']:,} ({run['reports_applied_per_s']:,} + "
            f"{run['telemetry_applied_per_s']:,}) | {cores['ingest']:.2f} "
            f"| {run['ingest_cpu_ms_per_message']:.2f} | {cores['broker']:.2f} "
            f"| {cores['simulated_boxes']:.2f} | {database_cores} | {cores['machine']:.2f} |"
        )
    return "\n".join(lines)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common_arguments(parser)
    parser.add_argument("--boxes", type=int, default=1000, help="simulated boxes")
    parser.add_argument("--processes", type=int, default=4, help="processes simulating them")
    parser.add_argument(
        "--report-every", type=float, default=0.5, help="seconds between a box's reports"
    )
    parser.add_argument(
        "--telemetry-every", type=float, default=5.0, help="seconds between a box's telemetry"
    )
    parser.add_argument(
        "--window", type=int, default=10, help="reports a box leaves unacknowledged at most"
    )
    parser.add_argument("--warmup", type=int, default=10, help="seconds before measuring")
    parser.add_argument("--seconds", type=int, default=30, help="seconds measured")
    parser.add_argument(
        "--profile", action="store_true", help="profile the ingest (bench/results/*.prof)"
    )
    return parser.parse_args()


def main() -> int:
    args = arguments()
    # Stopped from outside (kill, a timeout), the broker, the databases and folders go too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = datetime.now(UTC)
    stamp = started.strftime("%Y%m%dT%H%M%S")
    if args.profile:
        RESULTS.mkdir(exist_ok=True)

    def profile(database: str) -> Path | None:
        return RESULTS / f"link-fleet-{stamp}-{database}-ingest.prof" if args.profile else None

    runs = run_each(args, lambda database: run_on(database, args, profile(database)))
    met = {run["database"]: run["applied_per_s"] >= TARGET_MESSAGES_PER_S for run in runs}
    out = write_result(
        "link-fleet",
        started,
        args.label,
        {
            "pace": {
                "report_every_s": args.report_every,
                "telemetry_every_s": args.telemetry_every,
                "window": args.window,
                "warmup_s": args.warmup,
                "measured_s": args.seconds,
            },
            "profiled": args.profile,
            "runs": runs,
            "target_messages_per_s": TARGET_MESSAGES_PER_S,
            "meets_target": met,
        },
    )
    print(table(runs))
    print(f"\nTarget (≥ {TARGET_MESSAGES_PER_S:,} messages/s applied) met: {met}\nWritten to {out}")
    return 1 if any(run["at_end"]["hub"]["kept_aside"] for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
