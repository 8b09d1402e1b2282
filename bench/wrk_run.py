"""Load one URL with wrk and read back the figures printed by wrk_summary.lua."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

SUMMARY_SCRIPT = Path(__file__).resolve().parent / "wrk_summary.lua"
# wrk drops requests slower than its timeout from the latency figures and counts them
# apart; 10 s keeps every answer in the percentiles unless the box is really stuck.
TIMEOUT = "10s"


def load(
    url: str,
    connections: int,
    seconds: int,
    threads: int = 2,
    cookie: str | None = None,
    fresh: bool = False,
    close: bool = False,
) -> dict[str, Any]:
    """Run wrk against the URL and return requests/s, latency percentiles and failures.

    ``fresh`` asks for a new address each time, so no kept page can answer; ``close``
    a new connection each time (over HTTPS, a TLS handshake each time).
    """
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", f"--timeout={TIMEOUT}"]
    command += ["-s", str(SUMMARY_SCRIPT)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if close:
        command += ["-H", "Connection: close"]
    command.append(url)
    if fresh:
        command += ["--", "fresh", str(time.time_ns())]
    output = subprocess.run(
        command, check=True, capture_output=True, text=True, timeout=seconds + 60
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    raw = json.loads(line.removeprefix("BENCH "))
    latency = raw["latency_us"]
    return {
        "connections": connections,
        "seconds": round(raw["duration_us"] / 1e6, 2),
        "requests": raw["requests"],
        "requests_per_s": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(latency["p50"] / 1000, 2),
        "p90_ms": round(latency["p90"] / 1000, 2),
        "p99_ms": round(latency["p99"] / 1000, 2),
        "max_ms": round(latency["max"] / 1000, 2),
        "mean_ms": round(latency["mean"] / 1000, 2),
        "bytes_per_answer": round(raw["bytes"] / raw["requests"]) if raw["requests"] else 0,
        "not_200": raw["not_200"],
        "a_wrong_status": raw["a_wrong_status"] or None,
        "socket_errors": raw["errors"],
    }
