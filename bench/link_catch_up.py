"""Benchmark of the link's catch-up: a box's queued reports drained to the hub.

A box files 10,000 reports while its agent is stopped, as during a long outage. Then a
hub ingest process and the box agent start, each in its own process, and the clock runs
until the hub holds every report and the box's outbox_table is empty (every report
acknowledged by the hub's database, not only by the broker). In the same run, the same
messages go through a plain paho QoS 1 publish loop to a subscriber on the same broker,
before and after the link: the link's rate is given as a share of the faster of the two.

    .venv/bin/python -m bench.link_catch_up [--database sqlite|postgresql|both]

Writes bench/results/link-catch-up-<date>.json and prints a markdown table.
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

from sqlalchemy import func, select

from bench import link_estate, link_plain_loop, link_processes
from bench.link_copies import CopyCounter
from bench.link_figures import (
    RESULTS,
    common_arguments,
    cpu_seconds,
    run_each,
    write_result,
)
from core.domain import outbox, reports, side
from core.storage.engine import make_engine, writing
from core.storage.schema import outbox as outbox_table
from core.storage.schema import quarantine
from core.storage.schema import reports as report_table
from link import inbox, topics
from link.box_rate import BoxRate
from provisioning.broker_config import Limits
from tests.support.mosquitto import Broker

TARGET_RATIO = 0.5
# The plain loop sends each report alone from the box's account, 10,000 at once: far
# past a box's rate (link/box_rate.py), which this benchmark's broker lifts. The link's
# own catch-up, in bundles, fits in one burst.
NO_BOX_RATE = BoxRate(
    messages_per_s=10**9, message_burst=10**9, bytes_per_s=2**40, byte_burst=2**40
)
# Reports filed per transaction while the box fills its outbox_table.
FILING_BATCH = 500
POLL_S = 0.05
LONGEST_DRAIN_S = 900.0


def file_reports(pair: link_estate.Pair, count: int) -> None:
    """File ``count`` reports on the box, each with its outbox_table row, in batches."""
    box = make_engine(pair.box_url)
    tenant = link_estate.tenant(box, pair)
    for start in range(0, count, FILING_BATCH):
        with writing(box) as connection:
            for number in range(start, min(start + FILING_BATCH, count)):
                reports.file(
                    connection,
                    tenant,
                    "heating_water",
                    "dwelling",
                    f"Plus d'eau chaude depuis ce matin dans la salle de bains ({number + 1}).",
                )
    box.dispose()


def queued_envelopes(box_url: str) -> list[bytes]:
    """The outbox_table as it will go on the broker: the yardstick sends the same bytes."""
    box = make_engine(box_url)
    with box.connect() as connection:
        rows = outbox.waiting(connection, side.HUB, limit=1_000_000)
    box.dispose()
    return [inbox.outgoing(link_estate.BOX_ID, row) for row in rows]


def _count(engine, table) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def drain(
    folder: Path, broker: Broker, pair: link_estate.Pair, count: int, profile: Path | None
) -> dict[str, Any]:
    """Start the ingest and the agent; time until the hub has all and the outbox_table is empty."""
    hub, box = make_engine(pair.hub_url), make_engine(pair.box_url)
    access = link_estate.hub_access(broker, "hub-ingest-1", pair.hub_password)
    copies = CopyCounter(access, topics.up(link_estate.BOX_ID))
    ingest = link_processes.ingest(folder, pair.hub_url, access, profile)
    agent_profile = profile and profile.with_name(profile.name.replace("-ingest", "-agent"))
    agent = link_processes.agent(
        folder, pair.box_url, link_estate.BOX_ID, pair.box_access, pair.box_dir, agent_profile
    )
    try:
        before = {
            "ingest": ingest.cpu_seconds(),
            "ingest_main_thread": ingest.main_thread_cpu_seconds(),
            "agent": agent.cpu_seconds(),
            "broker": cpu_seconds(broker.pid),
        }
        started = time.time()
        agent.start()
        all_at_hub = emptied = None
        while emptied is None and time.time() - started < LONGEST_DRAIN_S:
            time.sleep(POLL_S)
            if all_at_hub is None and _count(hub, report_table) >= count:
                all_at_hub = time.time()
            if all_at_hub is not None and _count(box, outbox_table) == 0:
                emptied = time.time()
        cpu = {
            "ingest": ingest.cpu_seconds() - before["ingest"],
            "ingest_main_thread": ingest.main_thread_cpu_seconds() - before["ingest_main_thread"],
            "agent": agent.cpu_seconds() - before["agent"],
            "broker": cpu_seconds(broker.pid) - before["broker"],
        }
    finally:
        agent.stop()
        ingest.stop()
        sent = copies.stop()
    at_hub, kept_aside = _count(hub, report_table), _count(hub, quarantine)
    left = _count(box, outbox_table)
    hub.dispose()
    box.dispose()
    if emptied is None:
        raise RuntimeError(f"not drained in {LONGEST_DRAIN_S:.0f} s: {at_hub} at hub, {left} left")
    seconds = emptied - started
    return {
        "seconds": round(seconds, 3),
        "seconds_until_all_at_hub": round(all_at_hub - started, 3),
        "messages_per_s": round(count / seconds),
        "reports_at_hub": at_hub,
        # More messages than numbers: the agent sent some again before the hub answered.
        "messages_on_the_broker": sent,
        "kept_aside_at_hub": kept_aside,
        "cpu_s": {name: round(value, 2) for name, value in cpu.items()},
        "cpu_ms_per_message": {name: round(value * 1000 / count, 3) for name, value in cpu.items()},
    }


def plain_loop(broker: Broker, pair: link_estate.Pair, payloads: list[bytes]) -> dict[str, Any]:
    hub = link_estate.hub_access(broker, "unused", pair.hub_password)
    broker_before = cpu_seconds(broker.pid)
    result = link_plain_loop.run(pair.box_access, hub, topics.up(link_estate.BOX_ID), payloads)
    result["broker_cpu_s"] = round(cpu_seconds(broker.pid) - broker_before, 2)
    return result


def run_on(database: str, count: int, profile: Path | None) -> dict[str, Any]:
    """The whole benchmark with the hub on one database."""
    with tempfile.TemporaryDirectory(prefix="bench-link-") as temporary:
        folder = Path(temporary)
        with (
            Broker(folder / "broker", tls=False, limits=Limits(box_rate=NO_BOX_RATE)) as broker,
            link_estate.hub_database(database, folder) as hub_url,
        ):
            pair = link_estate.link_pair(folder, broker, hub_url)
            print(f"  {database}: filing {count:,} reports on the box…", file=sys.stderr)
            file_reports(pair, count)
            payloads = queued_envelopes(pair.box_url)
            print(f"  {database}: plain loop, link, plain loop…", file=sys.stderr, flush=True)
            before = plain_loop(broker, pair, payloads)
            drained = drain(folder, broker, pair, count, profile)
            after = plain_loop(broker, pair, payloads)
    best = max(before["messages_per_s"], after["messages_per_s"])
    return {
        "database": database,
        "messages": count,
        "message_bytes": round(sum(map(len, payloads)) / len(payloads)),
        "link": drained,
        "plain_loop_before": before,
        "plain_loop_after": after,
        "ratio": round(drained["messages_per_s"] / best, 3),
    }


def table(runs: list[dict[str, Any]]) -> str:
    lines = [
        "| Hub database | Link s | Link msg/s | Plain loop msg/s (before, after) | Link ÷ plain "
        "| Sent per report | Ingest CPU ms/msg | Agent CPU ms/msg | Broker CPU ms/msg |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for run in runs:
        drained, cpu = run["link"], run["link"]["cpu_ms_per_message"]
        sent = drained["messages_on_the_broker"]["numbered_messages"] / run["messages"]
        lines.append(
            f"| {run['database']} | {drained['seconds']:.1f} | {drained['messages_per_s']:,} "
            f"| {run['plain_loop_before']['messages_per_s']:,}, "
            f"{run['plain_loop_after']['messages_per_s']:,} | {run['ratio']:.2f} | {sent:.2f} "
            f"| {cpu['ingest']:.2f} | {cpu['agent']:.2f} | {cpu['broker']:.3f} |"
        )
    return "\n".join(lines)


def profile_file(args: argparse.Namespace, stamp: str, database: str) -> Path | None:
    if not args.profile:
        return None
    RESULTS.mkdir(exist_ok=True)
    return RESULTS / f"link-catch-up-{stamp}-{database}-ingest.prof"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common_arguments(parser)
    parser.add_argument("--reports", type=int, default=10_000, help="reports queued on the box")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile the ingest and the agent (bench/results/*.prof)",
    )
    return parser.parse_args()


def main() -> int:
    args = arguments()
    # Stopped from outside (kill, a timeout), the broker, the databases and folders go too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = datetime.now(UTC)
    stamp = started.strftime("%Y%m%dT%H%M%S")
    runs = run_each(
        args, lambda database: run_on(database, args.reports, profile_file(args, stamp, database))
    )
    met = {run["database"]: run["ratio"] >= TARGET_RATIO for run in runs}
    out = write_result(
        "link-catch-up",
        started,
        args.label,
        {
            "runs": runs,
            "target_ratio": TARGET_RATIO,
            "meets_target": met,
        },
    )
    print(table(runs))
    print(f"\nTarget (link ≥ {TARGET_RATIO} × plain loop) met: {met}\nWritten to {out}")
    # A report missing, doubled or kept aside makes the figures worthless.
    exact = all(
        run["link"]["reports_at_hub"] == run["messages"] and not run["link"]["kept_aside_at_hub"]
        for run in runs
    )
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
