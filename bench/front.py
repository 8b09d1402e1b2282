"""Benchmark of the box's front server (nginx) against what it stands in front of.

Starts the demo box twice over one data folder: gunicorn alone on a port (as in
development), and the box as it runs on a building's network — `residacoeur box web` on
a Unix socket behind `residacoeur box front`. Beside them, in the same run, a bare nginx
serving the same stylesheet from the same folder over HTTPS with the same certificate:
what a file served alone costs. Each figure is read as a ratio to its baseline measured
in the same run, since absolute figures drift on a shared machine; each pair is run in
turns over several rounds (baseline first, then second) and the median ratio kept:

- the fingerprinted stylesheet and the icons through the front server over HTTPS with
  keep-alive, against the bare nginx (target: at least 0.5×);
- a signed-in tenant's home page through the front server over HTTPS with keep-alive,
  against gunicorn alone over plain HTTP (target: no slower, 1.0×), and against gunicorn
  alone over HTTPS with its own TLS (bench/gunicorn_tls.py), like for like;
- TLS handshakes per second: a new connection for every request;
- the memory of the front server, and of the web service behind it.

    bench/front.sh [--seconds S] [--connections N] [--rounds R]

Writes bench/results/front-<date>.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from demo_box import DemoBox, _kib, free_port
from machine import REPOSITORY, machine, source_version
from tenant_session import SESSION_COOKIE, TenantSession
from wrk_run import load

from core import box_certificate

# The tests' fronted box is the one measured here: the repository, not the package.
sys.path.insert(0, str(REPOSITORY))
from tests.support.front_server import FrontedBox

RESULTS = Path(__file__).resolve().parent / "results"
DWELLING = "A1-102"
NGINX = "/usr/sbin/nginx"


def _bare_nginx_config(folder: Path, static_dir: Path, data_dir: Path, port: int) -> Path:
    """A file server and nothing else: the same TLS, the same folder, no compression."""
    config = folder / "bare.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    config.write_text(
        f"""daemon off;
{user}worker_processes auto;
pid {folder / "bare.pid"};
error_log stderr warn;
events {{ worker_connections 1024; }}
http {{
    types {{ text/css css; image/svg+xml svg; }}
    access_log off;
    sendfile on;
{temp}
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {box_certificate.chain_path(data_dir)};
        ssl_certificate_key {box_certificate.key_path(data_dir)};
        root {static_dir};
    }}
}}
""",
        encoding="utf-8",
    )
    return config


def _family(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *(int(child) for child in children)]


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user and system) used so far by these processes and their children."""
    ticks = 0
    for pid in (member for parent in pids for member in _family(parent)):
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def memory(pid: int) -> dict[str, Any]:
    pids = _family(pid)
    rss = [_kib(f"/proc/{p}/status", "VmRSS:") for p in pids]
    pss = [_kib(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids]
    return {
        "processes": len(pids),
        "rss_mib": round(sum(rss) / 1024, 1),
        "pss_mib": round(sum(pss) / 1024, 1),
    }


def _wait_for(url: str, timeout: float = 60) -> None:
    """Wait until the address answers (any certificate: only that it listens)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2, context=context):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} never answered")


def _stylesheet_and_icons(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url + "/welcome", timeout=5) as answer:
        page = answer.read().decode()
    stylesheet = page[page.index("/static/css/portal.") :].split('"', 1)[0]
    icons = page[page.index("/static/icons.") :].split("#", 1)[0].split('"', 1)[0]
    return stylesheet, icons


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of every run, in turns; medians kept"
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = datetime.now(UTC)
    box = DemoBox(workers=args.workers)
    fronted = bare = tls = None
    folder = Path(tempfile.mkdtemp(prefix="bench-bare-"))
    runs: dict[str, list[dict[str, Any]]] = {}
    try:
        box.start()
        fronted = FrontedBox(box.data_dir, args.workers)
        front_url = f"https://127.0.0.1:{fronted.https_port}"
        bare_port = free_port()
        config = _bare_nginx_config(folder, box.data_dir / "static", box.data_dir, bare_port)
        bare = subprocess.Popen(
            [NGINX, "-e", "stderr", "-p", str(folder), "-c", str(config)],
            stderr=subprocess.DEVNULL,
        )
        tls_port = free_port()
        tls = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).with_name("gunicorn_tls.py")),
                *(str(box.data_dir), str(tls_port), str(args.workers)),
            ],
            stderr=subprocess.DEVNULL,
        )
        _wait_for(f"https://127.0.0.1:{tls_port}/readyz")
        tenant = next(t for t in box.logins()["tenants"] if t["dwelling"] == DWELLING)
        member = tenant["profiles"][0]
        session = TenantSession(box.url)
        session.sign_in(tenant["code"], member["name"], member["pin"])
        session.get("/")
        cookie = f"{SESSION_COOKIE}={session.cookie()}"
        stylesheet, icons = _stylesheet_and_icons(box.url)

        def run(name: str, url: str, serving: list[int], **options: Any) -> None:
            print(f"  {name}…", file=sys.stderr, flush=True)
            load(url, args.connections, args.warmup, **options)
            before = cpu_seconds(serving)
            figures = load(url, args.connections, args.seconds, **options)
            spent = cpu_seconds(serving) - before
            figures["server_cpu_ms"] = round(spent * 1000 / max(figures["requests"], 1), 3)
            runs.setdefault(name, []).append(figures)

        bare_url = f"https://127.0.0.1:{bare_port}"
        alone, front = [box.process.pid], [fronted.front.pid, fronted.web.pid]
        tls_url = f"https://127.0.0.1:{tls_port}/"
        signed_in = {"cookie": cookie}
        bare_files = bare_url + "/"
        pairs = [
            (
                ("stylesheet, nginx alone", bare_files + stylesheet[8:], [bare.pid], {}),
                ("stylesheet, front server", front_url + stylesheet, front, {}),
            ),
            (
                ("icons, nginx alone", bare_files + icons[8:], [bare.pid], {}),
                ("icons, front server", front_url + icons, front, {}),
            ),
            (
                ("home page, gunicorn alone", box.url + "/", alone, {"cookie": cookie}),
                ("home page, front server", front_url + "/", front, {"cookie": cookie}),
            ),
            (
                ("home page, gunicorn alone, HTTPS", tls_url, [tls.pid], signed_in),
                ("home page, front server, beside HTTPS", front_url + "/", front, signed_in),
            ),
        ]
        for number in range(args.rounds):
            print(f"round {number + 1}", file=sys.stderr, flush=True)
            for pair in pairs:
                # In turns, baseline first then second: drift on the machine falls on both.
                for name, url, serving, options in pair if number % 2 == 0 else pair[::-1]:
                    run(name, url, serving, **options)
            run("handshakes, front server", front_url + icons, front, close=True)
        memories = {
            "front server (nginx)": memory(fronted.front.pid),
            "web service behind it": memory(fronted.web.pid),
        }
    finally:
        if tls is not None:
            tls.terminate()
            tls.wait()
        if bare is not None:
            bare.terminate()
            bare.wait()
        if fronted is not None:
            fronted.stop()
        box.stop()
        shutil.rmtree(folder, ignore_errors=True)

    def ratio(name: str, baseline: str, figure: str = "requests_per_s") -> float:
        pairs = zip(runs[name], runs[baseline], strict=True)
        each = [run[figure] / base[figure] for run, base in pairs]
        return round(statistics.median(each), 2)

    ratios = {
        "stylesheet": ratio("stylesheet, front server", "stylesheet, nginx alone"),
        "icons": ratio("icons, front server", "icons, nginx alone"),
        "home page": ratio("home page, front server", "home page, gunicorn alone"),
        "home page CPU": ratio(
            "home page, front server", "home page, gunicorn alone", "server_cpu_ms"
        ),
        "home page against HTTPS": ratio(
            "home page, front server, beside HTTPS", "home page, gunicorn alone, HTTPS"
        ),
    }
    result = {
        "benchmark": "front",
        "started": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "source": source_version(),
        "connections": args.connections,
        "runs": runs,
        "ratios": ratios,
        "memory": memories,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"front-{started.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(table(result))
    print(f"\n{out}", file=sys.stderr)
    return 0


def table(result: dict[str, Any]) -> str:
    lines = [
        "| Run (median of the rounds) | Req/s (each round) | p50 ms | p99 ms | Not 200 "
        "| Bytes/answer | Server CPU ms/answer |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for name, each in result["runs"].items():
        median = {
            figure: statistics.median(run[figure] for run in each)
            for figure in ("requests_per_s", "p50_ms", "p99_ms", "server_cpu_ms")
        }
        rounds = ", ".join(f"{run['requests_per_s']:,.0f}" for run in each)
        lines.append(
            f"| {name} | {median['requests_per_s']:,.0f} ({rounds}) "
            f"| {median['p50_ms']:.2f} | {median['p99_ms']:.2f} "
            f"| {sum(run['not_200'] for run in each)} | {each[0]['bytes_per_answer']:,} "
            f"| {median['server_cpu_ms']:.3f} |"
        )
    lines.append("")
    for name, value in result["ratios"].items():
        lines.append(f"- {name}: {value}× its baseline (median of the rounds' ratios)")
    for name, figures in result["memory"].items():
        lines.append(
            f"- {name}: {figures['processes']} processes, RSS {figures['rss_mib']} MiB, "
            f"PSS {figures['pss_mib']} MiB"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
