"""Benchmark of what a photo upload costs a gunicorn worker in memory.

Starts the real demo box under gunicorn, signs a tenant in through the real pages and
sends, through the report form, small files that describe big pictures (a few kilobytes
for up to 40 megapixels), one at a time to a box with one worker. Before each upload the
worker's high-water mark of resident memory is reset (``/proc/<pid>/clear_refs``), so
its peak afterwards (``VmHWM``) is this upload's alone. Then four of the dearest upload
at once to a box with two workers of two threads, as four tenants could.

    .venv/bin/python bench/photo_memory.py [--label before]
    PYTHONPATH=<another tree> .venv/bin/python bench/photo_memory.py   # other code

Writes bench/results/photo_memory-<date>.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import signal
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from demo_box import DemoBox
from machine import machine, source_version
from PIL import Image
from tenant_session import TenantSession

RESULTS = Path(__file__).resolve().parent / "results"
DWELLING = "A1-102"
HUGE = (7300, 5470)  # just under the 40-megapixel cap


def _square(pixels: int) -> tuple[int, int]:
    side = int(pixels**0.5)
    return side, side


# name → (picture, how it is saved). The first ones are the attack: a solid
# colour just under 40 megapixels in every format accepted. The others are the dearest
# pictures the box still keeps: a baseline JPEG just under twice the kept side (decoded
# at full size), and each format decoded whole at its pixel cap.
UPLOADS: dict[str, tuple[Callable[[], Image.Image], dict[str, Any]]] = {
    "40 MP JPEG": (lambda: Image.new("RGB", HUGE, (200, 30, 30)), {"format": "JPEG"}),
    "40 MP CMYK JPEG": (lambda: Image.new("CMYK", HUGE, (0, 90, 90, 0)), {"format": "JPEG"}),
    "40 MP progressive JPEG": (
        lambda: Image.new("RGB", HUGE, (200, 30, 30)),
        {"format": "JPEG", "progressive": True},
    ),
    "40 MP PNG (RGBA)": (lambda: Image.new("RGBA", HUGE, (200, 30, 30, 128)), {"format": "PNG"}),
    "40 MP WebP": (lambda: Image.new("RGB", HUGE, (200, 30, 30)), {"format": "WEBP"}),
    "40 MP GIF": (lambda: Image.new("P", HUGE, 3), {"format": "GIF"}),
    "3199² JPEG": (lambda: Image.new("RGB", (3199, 3199), (20, 130, 30)), {"format": "JPEG"}),
    "6 MP progressive CMYK JPEG 4:4:4": (
        lambda: Image.new("CMYK", _square(6_000_000), (0, 90, 90, 0)),
        {"format": "JPEG", "progressive": True, "subsampling": 0},
    ),
    "6 MP PNG (RGBA)": (
        lambda: Image.new("RGBA", _square(6_000_000), (200, 30, 30, 128)),
        {"format": "PNG"},
    ),
    "6 MP BMP (1 bit)": (lambda: Image.new("1", _square(6_000_000), 1), {"format": "BMP"}),
    "3 MP WebP (RGBA, lossless)": (
        lambda: Image.new("RGBA", _square(3_000_000), (200, 30, 30, 128)),
        {"format": "WEBP", "lossless": True},
    ),
}
# Four at once: the file, and the dearest JPEG the box keeps.
AT_ONCE = ("40 MP JPEG", "3199² JPEG")
AT_ONCE_COUNT = 4

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_PHOTO_REFUSAL = re.compile(r'id="photos-error">.*?<span>(.*?)</span>', re.S)


def encoded(name: str) -> bytes:
    make, options = UPLOADS[name]
    out = io.BytesIO()
    make().save(out, **options)
    return out.getvalue()


def multipart(fields: dict[str, str], photo: bytes) -> tuple[bytes, str]:
    """Return a report form's body with one photo, and its content type."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="photo"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + photo
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), (
        f"multipart/form-data; boundary={boundary}"
    )


def upload(session: TenantSession, photo: bytes) -> str:
    """Send the report form with the photo; return what the box answered, in short."""
    token = _TOKEN.search(session.get("/reports/new").body).group(1)
    # No description: the form comes back with the photo kept, as a refused form does.
    fields = {"csrf_token": token, "category": "lift", "location": "lift", "description": ""}
    body, content_type = multipart(fields, photo)
    request = urllib.request.Request(
        session.base_url + "/reports", body, {"Content-Type": content_type}
    )
    try:
        with session.opener.open(request, timeout=120) as answer:
            return f"{answer.status}"
    except urllib.error.HTTPError as refused:
        # Refused for the missing description only, the photo was read and kept.
        photo_refused = _PHOTO_REFUSAL.search(refused.read().decode("utf-8"))
        return f"{refused.code}: {'photo refused' if photo_refused else 'kept'}"


def status_kib(pid: int, key: str) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as lines:
        return next(int(line.split()[1]) for line in lines if line.startswith(key))


def reset_peak(pid: int) -> None:
    # "5" resets the process's high-water mark of resident memory to what it holds now.
    with open(f"/proc/{pid}/clear_refs", "w", encoding="ascii") as peak:
        peak.write("5")


def signed_in(box: DemoBox) -> TenantSession:
    tenant = next(t for t in box.logins()["tenants"] if t["dwelling"] == DWELLING)
    member = tenant["profiles"][0]
    session = TenantSession(box.url)
    session.sign_in(tenant["code"], member["name"], member["pin"])
    return session


def one_at_a_time(files: dict[str, bytes]) -> list[dict[str, Any]]:
    """Each upload alone to a box with one worker: its resting and peak memory."""
    box = DemoBox(workers=1)
    rows = []
    try:
        box.start()
        session = signed_in(box)
        (worker,) = box.worker_pids()
        upload(session, encoded("3199² JPEG"))  # first requests warm the worker up
        for name, data in files.items():
            time.sleep(0.5)
            reset_peak(worker)
            resting = status_kib(worker, "VmRSS:")
            answer = upload(session, data)
            peak = status_kib(worker, "VmHWM:")
            rows.append(
                {
                    "upload": name,
                    "file_bytes": len(data),
                    "answer": answer,
                    "resting_mib": round(resting / 1024, 1),
                    "peak_mib": round(peak / 1024, 1),
                    "grew_mib": round((peak - resting) / 1024, 1),
                    "after_mib": round(status_kib(worker, "VmRSS:") / 1024, 1),
                }
            )
            print(f"  {rows[-1]}", file=sys.stderr, flush=True)
    finally:
        box.stop()
    return rows


def all_at_once(files: dict[str, bytes]) -> list[dict[str, Any]]:
    """Each dear upload from four tenants at once, to two workers of two threads."""
    box = DemoBox(workers=2, threads=2)
    rows = []
    try:
        box.start()
        sessions = [signed_in(box) for _ in range(AT_ONCE_COUNT)]
        for session in sessions:
            upload(session, encoded("3199² JPEG"))
        workers = box.worker_pids()
        for name in AT_ONCE:
            time.sleep(0.5)
            for worker in workers:
                reset_peak(worker)
            resting = {worker: status_kib(worker, "VmRSS:") for worker in workers}
            with ThreadPoolExecutor(AT_ONCE_COUNT) as tenants:
                answers = list(tenants.map(upload, sessions, [files[name]] * AT_ONCE_COUNT))
            peaks = {worker: status_kib(worker, "VmHWM:") for worker in workers}
            rows.append(
                {
                    "upload": name,
                    "count": AT_ONCE_COUNT,
                    "answers": answers,
                    "resting_mib_each": [round(resting[w] / 1024, 1) for w in workers],
                    "peak_mib_each": [round(peaks[w] / 1024, 1) for w in workers],
                    "grew_mib_total": round(sum(peaks[w] - resting[w] for w in workers) / 1024, 1),
                }
            )
            print(f"  {rows[-1]}", file=sys.stderr, flush=True)
    finally:
        box.stop()
    return rows


def table(result: dict[str, Any]) -> str:
    lines = [
        "| Upload | File | Answer | Worker resting MiB | Peak MiB | Grew MiB | After MiB |",
        "|---|--:|---|--:|--:|--:|--:|",
    ]
    for row in result["alone"]:
        lines.append(
            f"| {row['upload']} | {row['file_bytes'] / 1024:,.0f} kB | {row['answer']} "
            f"| {row['resting_mib']} | {row['peak_mib']} | **{row['grew_mib']}** "
            f"| {row['after_mib']} |"
        )
    lines.append("")
    for together in result["at_once"]:
        lines.append(
            f"- {together['count']} × {together['upload']} at once (2 workers × 2 threads): "
            f"workers resting {together['resting_mib_each']} MiB, peaks "
            f"{together['peak_mib_each']} MiB, **{together['grew_mib_total']} MiB** more in "
            f"all (answers {together['answers']})."
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="", help="word added to the result file's name")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = datetime.now(UTC)
    files = {name: encoded(name) for name in UPLOADS}
    result = {
        "benchmark": "photo_memory",
        "started": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "source": source_version(),
        "alone": one_at_a_time(files),
        "at_once": all_at_once(files),
    }
    RESULTS.mkdir(exist_ok=True)
    label = f"-{args.label}" if args.label else ""
    path = RESULTS / f"photo_memory{label}-{started:%Y%m%dT%H%M%S}.json"
    path.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(table(result))
    print(f"\n{path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
