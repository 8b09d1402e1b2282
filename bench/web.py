"""Benchmark of the box's web service: a signed-in tenant's pages under wrk.

Starts the real demo box under gunicorn, signs a tenant in through the sign-in pages and
loads the home page and the report list with that session, two ways: the same address
again and again (a person reloading: the box may answer with the page it kept), and a
new address each time (a person opening the page for the first time: it is rendered).
A baseline measured in the same run gives ratios that travel better than the absolute
figures, which drift on a shared machine.

    .venv/bin/python bench/web.py [--workers N] [--threads N] [--seconds S]

Writes bench/results/web-<date>.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from demo_box import DemoBox
from machine import machine, source_version
from tenant_session import SESSION_COOKIE, TenantSession, check_signed_in_page
from wrk_run import load

from core.config import load_config

RESULTS = Path(__file__).resolve().parent / "results"
# A household with works in its building, news from every scope and an open report:
# the fullest home page of the demo estate.
DWELLING = "A1-102"
TARGET = {"requests_per_s": 1000, "p99_ms": 100, "connections": 64, "rss_mib": 150}


class Target(NamedTuple):
    path: str
    signed_in: bool
    fresh: bool


TARGETS = {
    # Baselines: the cheapest Flask answer (no session, no database), a static file.
    "healthz": Target("/healthz", signed_in=False, fresh=False),
    "static": Target("/static/css/portal.css", signed_in=False, fresh=False),
    "home": Target("/", signed_in=True, fresh=False),
    "home-rendered": Target("/", signed_in=True, fresh=True),
    "reports": Target("/reports", signed_in=True, fresh=False),
    "reports-rendered": Target("/reports", signed_in=True, fresh=True),
}


def sign_in(box: DemoBox, dwelling: str) -> tuple[str, str, dict[str, int]]:
    """Sign the dwelling's first member in; return the cookie, their name, the page sizes."""
    tenant = next(t for t in box.logins()["tenants"] if t["dwelling"] == dwelling)
    member = tenant["profiles"][0]
    session = TenantSession(box.url)
    session.sign_in(tenant["code"], member["name"], member["pin"])
    sizes = {
        path: check_signed_in_page(session, path, member["name"])
        for path in ("/", "/?fresh=check", "/reports", "/reports?fresh=check")
    }
    # Read after the pages: the cookie then holds the CSRF secret, as a browser's would.
    return session.cookie(), member["name"], sizes


def measure(box: DemoBox, cookie: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Load each chosen target at each number of connections, after a warm-up."""
    runs = []
    for connections in args.connections:
        for name in args.targets:
            target = TARGETS[name]
            print(f"  {name:<16} {connections:>3} connections…", file=sys.stderr, flush=True)
            options = {
                "cookie": f"{SESSION_COOKIE}={cookie}" if target.signed_in else None,
                "fresh": target.fresh,
            }
            load(box.url + target.path, connections, args.warmup, **options)
            cpu_before = box.cpu_seconds()
            run = load(box.url + target.path, connections, args.seconds, **options)
            # CPU the box spent per answer: it moves much less than requests/s when other
            # work shares the machine, and the box's cores divided by it bound its capacity.
            cpu_ms = (box.cpu_seconds() - cpu_before) * 1000 / max(run["requests"], 1)
            runs.append({"target": name, **target._asdict(), **run, "box_cpu_ms": round(cpu_ms, 3)})
    return runs


def with_ratios(runs: list[dict[str, Any]]) -> None:
    """Add each run's requests/s as a share of the healthz baseline at the same load."""
    baseline = {r["connections"]: r["requests_per_s"] for r in runs if r["target"] == "healthz"}
    for run in runs:
        if run["connections"] in baseline:
            run["share_of_healthz"] = round(run["requests_per_s"] / baseline[run["connections"]], 3)


def verdict(runs: list[dict[str, Any]], memory: dict[str, Any]) -> dict[str, bool]:
    """Compare the home page at 64 connections, both ways, and the memory with the targets."""
    met = {"rss_mib": memory["rss_mib"] <= TARGET["rss_mib"]}
    for run in runs:
        if run["target"].startswith("home") and run["connections"] == TARGET["connections"]:
            met[f"{run['target']}_requests_per_s"] = (
                run["requests_per_s"] >= TARGET["requests_per_s"]
            )
            met[f"{run['target']}_p99_ms"] = run["p99_ms"] <= TARGET["p99_ms"]
    return met


def table(result: dict[str, Any]) -> str:
    """Render the runs and the memory as markdown."""
    lines = [
        "| Target | Conn. | Req/s | × healthz | p50 ms | p99 ms | Not 200 | Timeouts "
        "| Box CPU ms/req |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for run in result["runs"]:
        lines.append(
            f"| {run['target']} | {run['connections']} | {run['requests_per_s']:,.0f} "
            f"| {run.get('share_of_healthz', '–')} | {run['p50_ms']:.1f} | {run['p99_ms']:.1f} "
            f"| {run['not_200']} | {run['socket_errors']['timeout']} | {run['box_cpu_ms']:.2f} |"
        )
    memory = result["memory"]
    lines.append("")
    lines.append(
        f"Memory after the runs ({memory['processes']} processes): "
        f"RSS {memory['rss_mib']} MiB (each {memory['rss_mib_each']}), "
        f"PSS {memory['pss_mib']} MiB."
    )
    return "\n".join(lines)


def wait_for_quiet(threshold: float, patience: int) -> bool:
    """Wait until the machine's 1-minute load average falls below the threshold."""
    deadline = time.monotonic() + patience
    while os.getloadavg()[0] >= threshold:
        if time.monotonic() > deadline:
            return False
        time.sleep(10)
    return True


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: the box's)")
    parser.add_argument("--seconds", type=int, default=20, help="length of each run")
    parser.add_argument("--warmup", type=int, default=5, help="length of each warm-up")
    parser.add_argument(
        "--connections", type=int, nargs="+", default=[16, 64], help="wrk connections"
    )
    parser.add_argument(
        "--targets",
        nargs="+",
        choices=list(TARGETS),
        default=list(TARGETS),
        help="what to load (healthz is needed for the ratios)",
    )
    parser.add_argument("--dwelling", default=DWELLING, help="demo dwelling to sign in")
    parser.add_argument("--label", default="", help="word added to the result file's name")
    parser.add_argument(
        "--quiet-load",
        type=float,
        help="first wait (see --patience) until the 1-minute load average is below this",
    )
    parser.add_argument(
        "--patience", type=int, default=1800, help="longest wait for quiet, in seconds"
    )
    return parser.parse_args()


def main() -> int:
    args = arguments()
    # Stopped from outside (kill, a timeout), the box and its data folder go too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    quiet = None
    if args.quiet_load is not None:
        print(f"waiting for a load average under {args.quiet_load}…", file=sys.stderr)
        quiet = wait_for_quiet(args.quiet_load, args.patience)
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    box = DemoBox(workers=args.workers, threads=args.threads)
    try:
        box.start()
        cookie, name, sizes = sign_in(box, args.dwelling)
        print(f"signed in as {name} ({args.dwelling}); page bytes {sizes}", file=sys.stderr)
        runs = measure(box, cookie, args)
        memory = box.memory()
    finally:
        box.stop()
    with_ratios(runs)
    result = {
        "benchmark": "web",
        "started": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "source": source_version(),
        "box": {
            "workers": args.workers,
            # The box's own setting when none was given (the environment may set it).
            "threads": args.threads or load_config()["threads"],
            "dwelling": args.dwelling,
        },
        "wrk": {"threads": 2, "seconds": args.seconds, "warmup_seconds": args.warmup},
        # Other work on a shared machine shows here, and in every figure below.
        "waited_for_quiet": {"below": args.quiet_load, "reached": quiet},
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "page_bytes": sizes,
        "runs": runs,
        "memory": memory,
        "targets": TARGET,
        "meets_targets": verdict(runs, memory),
    }
    RESULTS.mkdir(exist_ok=True)
    label = f"-{args.label}" if args.label else ""
    out = RESULTS / f"web-{started.strftime('%Y%m%dT%H%M%S')}{label}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(result))
    print(f"\nTargets met: {result['meets_targets']}\nWritten to {out}")
    # Error pages or redirects measured instead of the pages make the whole run worthless.
    return 1 if any(run["not_200"] for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
