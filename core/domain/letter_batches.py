"""A batch of access-code letters being made into one PDF, until its maker takes it.

The PDF holds codes in clear, which exist nowhere else, so it lives in the data folder
only as a private file (0600, in a folder only the box's user may open), is given once
to the staff member who asked for it and then deleted, and is deleted anyway an hour
after the batch began (housekeeping). A large batch is made by a short-lived process of
its own, which notes here how many letters are done, so the staff page can show it.

A batch folder holds ``batch.json`` (who asked, how many letters, when), ``progress``
(letters done, written by the maker), then ``letters.pdf``, or ``failed``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from core.domain.errors import N_, NotFound
from core.private_files import private_file

FOLDER = "letters"
# Time to print what was made; after it the codes are better issued again than kept.
KEPT_SECONDS = 3600
_BATCH_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")
_GONE = N_(
    "These letters are no longer here: they were downloaded, or made more than an hour "
    "ago. Issue new codes to print them again."
)


def _folder(data_dir: str | Path, batch_id: str) -> Path:
    # The id comes from an address: anything but an id of ours names no folder.
    if not _BATCH_ID.match(batch_id):
        raise NotFound("letters_gone", _GONE)
    return Path(data_dir) / FOLDER / batch_id


def begin(data_dir: str | Path, owner_id: str, total: int) -> str:
    """Open a batch of ``total`` letters for the staff member ``owner_id``; return its id."""
    batch_id = secrets.token_urlsafe(16)
    folder = Path(data_dir) / FOLDER / batch_id
    folder.mkdir(mode=0o700, parents=True)
    with private_file(folder / "batch.json") as handle:
        json.dump({"owner": owner_id, "total": total, "began": time.time()}, handle)
    return batch_id


def note_progress(data_dir: str | Path, batch_id: str, done: int) -> None:
    """Note that ``done`` letters of the batch are made."""
    with private_file(_folder(data_dir, batch_id) / "progress") as handle:
        handle.write(str(done))


@contextmanager
def pdf_file(data_dir: str | Path, batch_id: str) -> Iterator[IO[bytes]]:
    """Open the batch's PDF to be written whole; the batch is ready when the block ends."""
    with private_file(_folder(data_dir, batch_id) / "letters.pdf", "wb") as handle:
        yield handle


def note_failure(data_dir: str | Path, batch_id: str) -> None:
    """Note that the batch could not be made (its maker stopped on an error)."""
    folder = _folder(data_dir, batch_id)
    if folder.is_dir():
        (folder / "failed").touch(mode=0o600)


def state(data_dir: str | Path, batch_id: str, owner_id: str) -> dict[str, Any]:
    """Return how far the batch is (total, done, ready, failed), for its maker alone."""
    folder = _folder(data_dir, batch_id)
    about = _about(folder, owner_id)
    try:
        done = int((folder / "progress").read_text(encoding="utf-8") or 0)
    except (FileNotFoundError, ValueError):
        done = 0
    ready = (folder / "letters.pdf").is_file()
    return {
        "total": about["total"],
        "done": about["total"] if ready else min(done, about["total"]),
        "ready": ready,
        "failed": (folder / "failed").is_file(),
    }


def take(data_dir: str | Path, batch_id: str, owner_id: str) -> IO[bytes]:
    """Hand the finished PDF to its maker, once: the file is open for reading and already
    gone from the disk, with its batch."""
    folder = _folder(data_dir, batch_id)
    _about(folder, owner_id)
    taken = folder / f".taken-{secrets.token_hex(8)}"
    try:
        # A rename is atomic: of two requests at once, one gets the file.
        os.rename(folder / "letters.pdf", taken)
    except FileNotFoundError:
        raise NotFound("letters_gone", _GONE) from None
    handle = taken.open("rb")
    shutil.rmtree(folder, ignore_errors=True)
    return handle


def forget_old(data_dir: str | Path, now: float | None = None) -> int:
    """Delete the batches begun more than an hour ago, taken or not; return how many."""
    now = time.time() if now is None else now
    root = Path(data_dir) / FOLDER
    if not root.is_dir():
        return 0
    forgotten = 0
    for folder in root.iterdir():
        if _began(folder) < now - KEPT_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)
            forgotten += 1
    return forgotten


def _began(folder: Path) -> float:
    try:
        return float(json.loads((folder / "batch.json").read_text(encoding="utf-8"))["began"])
    except (OSError, ValueError, KeyError, TypeError):
        # Half made or damaged: as old as the folder.
        try:
            return folder.stat().st_mtime
        except OSError:
            return 0.0


def _about(folder: Path, owner_id: str) -> dict[str, Any]:
    """Return the batch's description; another person's batch, or an old one, is not there."""
    try:
        about = json.loads((folder / "batch.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise NotFound("letters_gone", _GONE) from None
    if about.get("owner") != owner_id or about.get("began", 0) < time.time() - KEPT_SECONDS:
        raise NotFound("letters_gone", _GONE)
    return about
