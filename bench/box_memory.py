"""The memory of every long-running service of one box, against the box's 300 MB.

Starts the whole demo estate (`residacoeur demo`), waits until the first box has its
certificate from the demo's authority (so its front server has reloaded once), signs a
tenant in and loads a few pages so the web workers hold what serving takes, then reads
each of the box's processes: the front server (nginx), the web service (gunicorn's
master and workers), the box agent, the announcement, the video rooms and the media
process (once it has read the news aloud). PSS shares the pages that processes have in
common between them, so the sum is what the box really uses.

    .venv/bin/python bench/box_memory.py

Prints a markdown table and writes bench/results/box-memory-<date>.json.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from demo_box import COMMAND, _kib, free_port
from machine import machine, source_version

from appliance.demo import layout

RESULTS = Path(__file__).resolve().parent / "results"
BOX_WORKERS = 2
SERVICES = {"front": "front server (nginx)", "web": "web service", "link": "box agent"}
SERVICES["announce"] = "announcement (mDNS)"
SERVICES["rooms"] = "video rooms (nobody in them)"
SERVICES["media"] = "media (the news read aloud)"
# What each service's command line holds: nginx, the announcement and the rooms replace
# the `residacoeur` command they were started as.
MARKS = {"front": "nginx", "announce": "announce", "link": "box link", "web": "box web"}
MARKS["rooms"] = "appliance.services.rooms"
MARKS["media"] = "appliance.services.media"


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def _family(pid: int) -> list[int]:
    return [pid, *(grandchild for child in _children(pid) for grandchild in _family(child))]


def _command(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def _issuer(chain: Path) -> str:
    try:
        return x509.load_pem_x509_certificates(chain.read_bytes())[0].issuer.rfc4514_string()
    except (OSError, ValueError):
        return ""


def _first_port() -> int:
    """A port N from which every port the demo lays out is free now."""
    while True:
        port = free_port()
        if port + layout.HTTPS_PORT_OFFSET + 1 < 65536 and not layout.taken_ports(
            layout.plan(Path("."), port)
        ):
            return port


def main() -> int:
    started = datetime.now(UTC)
    folder = Path(tempfile.mkdtemp(prefix="bench-box-memory-"))
    port = _first_port()
    log = open(folder / "demo.log", "wb")  # noqa: SIM115 - lives with the estate
    estate = subprocess.Popen(
        [
            *(str(COMMAND), "demo", "--port", str(port), "--data-dir", str(folder / "estate")),
            # As on a box (image-build/box.toml), not the demo's one worker per service.
            *("--workers", str(BOX_WORKERS)),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("RESIDACOEUR_")},
    )
    try:
        chain = folder / "estate" / "box-a" / "tls" / "certificate.pem"
        deadline = time.monotonic() + 240
        while "Pebble" not in _issuer(chain):
            if time.monotonic() > deadline or estate.poll() is not None:
                said = (folder / "demo.log").read_text(errors="replace").splitlines()[-20:]
                raise RuntimeError("no certificate for the first box:\n" + "\n".join(said))
            time.sleep(1)
        for path in ("welcome", "help", "static/css/portal.css"):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=10):
                pass
        speech = folder / "estate" / "box-a" / "speech"
        while not list(speech.glob("*.mp3")) and time.monotonic() < deadline + 120:
            time.sleep(1)
        time.sleep(5)
        box_a = str(folder / "estate" / "box-a")
        figures = {}
        for child in _children(estate.pid):
            command = _command(child)
            # The announcement holds what it announces, the first box's port among it.
            if box_a not in command and f'"_http._tcp.local.": {port}}}' not in command:
                continue
            service = next(name for name, mark in MARKS.items() if mark in command)
            pids = _family(child)
            figures[SERVICES[service]] = {
                "processes": len(pids),
                "rss_mib": round(sum(_kib(f"/proc/{p}/status", "VmRSS:") for p in pids) / 1024, 1),
                "pss_mib": round(
                    sum(_kib(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids) / 1024, 1
                ),
            }
    finally:
        estate.send_signal(signal.SIGINT)
        try:
            estate.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(estate.pid, signal.SIGKILL)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)
    total = round(sum(f["pss_mib"] for f in figures.values()), 1)
    result = {
        "benchmark": "box-memory",
        "started": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "source": source_version(),
        "services": figures,
        "total_pss_mib": total,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"box-memory-{started.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print("| Service | Processes | RSS MiB | PSS MiB |\n|---|--:|--:|--:|")
    for name, f in figures.items():
        print(f"| {name} | {f['processes']} | {f['rss_mib']} | {f['pss_mib']} |")
    print(f"| **all of the box's services** | | | **{total}** |")
    print(f"\n{out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
