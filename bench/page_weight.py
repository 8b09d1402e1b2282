"""Benchmark of what a tenant's phone downloads: signed-in pages, first seen and seen again.

Starts the real demo box under gunicorn, signs a tenant in through the sign-in pages and
opens a few of their pages in Debian's headless Chromium, in French and in Arabic: each
first in a browser with an empty cache, then again in the same browser. Counts what came
over the network (DevTools: bytes on the wire, headers included; what the browser took
from its cache is not counted).

    .venv/bin/python bench/page_weight.py [--dwelling A1-102] [--label before]

To measure another version of the code (before a change), put its checkout first on
PYTHONPATH: the figures then record it. Writes bench/results/page-weight-<date>.json and
prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from demo_box import DemoBox
from machine import REPOSITORY, machine, source_version
from playwright.sync_api import Browser, sync_playwright
from tenant_session import SESSION_COOKIE, TenantSession

# The browser tests' reading of DevTools, so that the test and the figures count alike.
sys.path.insert(0, str(REPOSITORY))
from tests.browser.network import NetworkLog

RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = "/usr/bin/chromium"
# The fullest home page of the demo estate (works, news from every scope, a report).
DWELLING = "A1-102"
PAGES = ("/", "/reports", "/board", "/events")
LOCALES = ("fr", "ar")


def signed_in_cookie(box: DemoBox, dwelling: str, locale: str) -> str:
    """Sign the dwelling's first member in, in this language; return the session cookie."""
    tenant = next(t for t in box.logins()["tenants"] if t["dwelling"] == dwelling)
    member = tenant["profiles"][0]
    session = TenantSession(box.url)
    session.sign_in(tenant["code"], member["name"], member["pin"])
    session.post("/preferences/language", session.get("/"), {"locale": locale, "next": "/"})
    return session.cookie()


def weigh(browser: Browser, url: str, cookie: str, path: str) -> dict[str, Any]:
    """Open the page in a browser that never came, then again; return what each cost."""
    context = browser.new_context()
    context.add_cookies([{"name": SESSION_COOKIE, "value": cookie, "url": url}])
    page = context.new_page()
    network = NetworkLog(page)
    try:
        figures = {}
        for visit in ("first", "again"):
            network.start()
            page.goto(url + path)
            fetched = network.fetched()
            figures[visit] = {
                "requests": len(fetched),
                "bytes": sum(f.wire_bytes for f in fetched),
                "page_bytes": sum(f.wire_bytes for f in fetched if f.kind == "Document"),
                "files": {f.url.removeprefix(url): f.wire_bytes for f in fetched},
            }
        return figures
    finally:
        context.close()


def table(result: dict[str, Any]) -> str:
    """Render the pages' figures as markdown."""
    lines = [
        "| Page | Lang. | First: requests | First: KiB | of which the page | "
        "Again: requests | Again: KiB |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    for row in result["pages"]:
        first, again = row["first"], row["again"]
        lines.append(
            f"| `{row['path']}` | {row['locale']} | {first['requests']} "
            f"| {first['bytes'] / 1024:.1f} | {first['page_bytes'] / 1024:.1f} "
            f"| {again['requests']} | {again['bytes'] / 1024:.1f} |"
        )
    return "\n".join(lines)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dwelling", default=DWELLING, help="demo dwelling to sign in")
    parser.add_argument("--label", default="", help="word added to the result file's name")
    return parser.parse_args()


def main() -> int:
    args = arguments()
    # Stopped from outside (kill, a timeout), the box and its data folder go too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = datetime.now(UTC)
    box = DemoBox(workers=2)
    rows = []
    try:
        box.start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            for locale in LOCALES:
                cookie = signed_in_cookie(box, args.dwelling, locale)
                for path in PAGES:
                    print(f"  {path} ({locale})…", file=sys.stderr, flush=True)
                    rows.append(
                        {"path": path, "locale": locale, **weigh(browser, box.url, cookie, path)}
                    )
            browser.close()
    finally:
        box.stop()
    result = {
        "benchmark": "page-weight",
        "started": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "source": source_version(),
        "dwelling": args.dwelling,
        "pages": rows,
    }
    RESULTS.mkdir(exist_ok=True)
    label = f"-{args.label}" if args.label else ""
    out = RESULTS / f"page-weight-{started.strftime('%Y%m%dT%H%M%S')}{label}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(result))
    print(f"\nWritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
