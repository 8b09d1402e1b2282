"""QR codes for the web service's pages, drawn by a process of their own and kept.

segno takes about 10 MB in a process: the web workers would each carry it for a code
that changes only with the portal's address. The first page that needs a link's code
has ``residacoeur box draw-qr`` draw it (a fraction of a second), and it is kept in the
data folder for every page after. Only lasting, public links are kept so; a link that
lasts minutes (a TV's pairing, which keeps its own code) is not.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

DRAW_SECONDS = 30


def qr_image(data_dir: str, link: str, keep: bool = True) -> str:
    """The link's QR code as an SVG data URI (kept for next time unless ``keep`` is
    false)."""
    kept = Path(data_dir) / "qr-codes" / f"{hashlib.sha256(link.encode()).hexdigest()[:32]}.txt"
    if kept.exists():
        return kept.read_text(encoding="ascii")
    drawn = subprocess.run(
        [sys.executable, "-m", "appliance.cli", "box", "draw-qr"],
        input=link,
        capture_output=True,
        text=True,
        timeout=DRAW_SECONDS,
        check=True,
    ).stdout
    if not keep:
        return drawn
    kept.parent.mkdir(exist_ok=True)
    # Written whole, then named: another worker reads the old file or the new, never half.
    partial = kept.with_suffix(f".{os.getpid()}.part")
    partial.write_text(drawn, encoding="ascii")
    partial.replace(kept)
    return drawn
