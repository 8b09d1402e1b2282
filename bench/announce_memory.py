"""Memory of ``residacoeur box announce`` while it announces (docs/PERFORMANCE.md).

Run as root: ``.venv/bin/python -m bench.announce_memory``. The announcer runs in a
network namespace joined to another where a browser finds it (tests/support/lan.py);
its resident memory is read once the browser sees both services, a minute later, and
after an address change.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from tests.support import lan


def _memory(pid: int) -> str:
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return ", ".join(f"{name} {fields[name].strip()}" for name in ("VmRSS", "RssAnon", "VmHWM"))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, lan.two_sides() as link:
        tmp = Path(folder)
        browser = lan.Browser(link.neighbour, tmp / "browser.log", "batiment-a.local.")
        announcer = lan.start_announcer(link.box, tmp, box_name="Bâtiment A")
        browser.wait_for(lambda view: sum(bool(s) for s in view["services"].values()) == 2, 20)
        print(f"announced: {_memory(announcer.pid)}")
        time.sleep(60)
        print(f"a minute later: {_memory(announcer.pid)}")
        link.box.set_address(lan.BOX_ADDRESS, "10.99.0.9")
        time.sleep(10)
        print(f"after an address change: {_memory(announcer.pid)}")


if __name__ == "__main__":
    main()
