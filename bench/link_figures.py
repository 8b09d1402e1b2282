"""What the link's benchmarks share: the machine, CPU clocks, percentiles, the result files."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.machine import source_version

RESULTS = Path(__file__).resolve().parent / "results"
MOSQUITTO = "/usr/sbin/mosquitto"
DATABASES = ("sqlite", "postgresql")


def machine() -> dict[str, Any]:
    """Describe the machine: cores, CPU model, memory, kernel, Python and broker versions."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    models = {
        line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line
    }
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    total_kib = int(next(line for line in meminfo if line.startswith("MemTotal:")).split()[1])
    # Mosquitto prints its version as the first line of its help, on stdout, and exits 3.
    help_text = subprocess.run([MOSQUITTO, "-h"], capture_output=True, text=True).stdout
    return {
        "cores": os.cpu_count(),
        "cpu_model": ", ".join(sorted(models)),
        "memory_gib": round(total_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "mosquitto": help_text.splitlines()[0].strip() if help_text else None,
    }


def cpu_seconds(pid: int, thread: int | None = None) -> float:
    """Return the CPU time (user and system) a process has used so far.

    All its threads, or only ``thread`` (a thread id; the main thread's is the process id).
    """
    path = f"/proc/{pid}/stat" if thread is None else f"/proc/{pid}/task/{thread}/stat"
    with open(path, encoding="ascii") as stat:
        # Fields after the command name, which is in parentheses and may hold spaces.
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """Return the CPU seconds the whole machine has been busy since boot, all cores."""
    first = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    ticks = [int(value) for value in first[:8]]
    # user, nice, system, idle, iowait, irq, softirq, steal: all but idle and iowait.
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def spread(samples_ms: list[float]) -> dict[str, Any]:
    """Return count, mean, p50, p90, p99 and max of latencies in milliseconds."""
    ordered = sorted(samples_ms)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "samples": len(ordered),
        "mean_ms": round(statistics.fmean(ordered), 1),
        "p50_ms": round(cuts[49], 1),
        "p90_ms": round(cuts[89], 1),
        "p99_ms": round(cuts[98], 1),
        "max_ms": round(ordered[-1], 1),
    }


def databases(choice: str) -> list[str]:
    """Turn --database sqlite|postgresql|both into the hub databases to run on."""
    return list(DATABASES) if choice == "both" else [choice]


def write_result(benchmark: str, started: datetime, label: str, result: dict[str, Any]) -> Path:
    """Write a run's figures to bench/results/<benchmark>-<time>[-label].json."""
    RESULTS.mkdir(exist_ok=True)
    suffix = f"-{label}" if label else ""
    out = RESULTS / f"{benchmark}-{started.strftime('%Y%m%dT%H%M%S')}{suffix}.json"
    document = {
        "benchmark": benchmark,
        "started": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "source": source_version(),
        **result,
    }
    out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def load_average() -> list[float]:
    """The machine's 1, 5 and 15-minute load averages: other work shows here."""
    return [round(value, 2) for value in os.getloadavg()]


def common_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options every benchmark of the link takes."""
    parser.add_argument("--database", choices=[*DATABASES, "both"], default="both")
    parser.add_argument("--label", default="", help="word added to the result file's name")
    parser.add_argument(
        "--quiet-load",
        type=float,
        help="before each database, wait (see --patience) until the 1-minute load average "
        "is below this",
    )
    parser.add_argument(
        "--patience", type=int, default=1800, help="longest wait for quiet, in seconds"
    )


def wait_for_quiet(args: argparse.Namespace) -> dict[str, Any]:
    """Wait, if asked, until other work on the machine calms down; say what was found."""
    if args.quiet_load is None:
        return {"load_average_before": load_average()}
    print(f"  waiting for a load average under {args.quiet_load}…", file=sys.stderr, flush=True)
    deadline = time.monotonic() + args.patience
    while os.getloadavg()[0] >= args.quiet_load and time.monotonic() < deadline:
        time.sleep(10)
    reached = os.getloadavg()[0] < args.quiet_load
    return {
        "waited_for_load_below": args.quiet_load,
        "reached": reached,
        "load_average_before": load_average(),
    }


def run_each(args: argparse.Namespace, work: Callable[[str], dict[str, Any]]) -> list[dict]:
    """Run the benchmark on each chosen hub database, noting the machine's load around it."""
    runs = []
    for database in databases(args.database):
        before = wait_for_quiet(args)
        run = work(database)
        run["machine_load"] = {**before, "load_average_after": load_average()}
        runs.append(run)
    return runs
