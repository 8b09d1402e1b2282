"""The readings spoken on the box, kept as MP3 files in ``<data>/speech/``, one per
reading's name (core/domain/read_aloud.py).

MP3 because every TV's media player and every browser plays it. Written whole, then
named, so a page or a TV never gets half a file; a reading no item says any more is
deleted at the next pass.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

FOLDER = "speech"
SUFFIX = ".mp3"
_NAME = re.compile(r"[0-9a-f]{32}")


def folder(data_dir: str | Path) -> Path:
    return Path(data_dir) / FOLDER


def path_of(data_dir: str | Path, name: str) -> Path | None:
    """The file of a reading's name, if it is one and it was spoken; else None."""
    if not _NAME.fullmatch(name):
        return None
    path = folder(data_dir) / f"{name}{SUFFIX}"
    return path if path.is_file() else None


def spoken(data_dir: str | Path) -> set[str]:
    """The names of the readings spoken so far."""
    place = folder(data_dir)
    if not place.is_dir():
        return set()
    return {path.stem for path in place.glob(f"*{SUFFIX}") if _NAME.fullmatch(path.stem)}


def keep(data_dir: str | Path, name: str, audio: bytes) -> None:
    """Keep a reading's sound under its name."""
    place = folder(data_dir)
    place.mkdir(exist_ok=True)
    partial = place / f"{name}.{os.getpid()}.part"
    partial.write_bytes(audio)
    partial.replace(place / f"{name}{SUFFIX}")


def forget(data_dir: str | Path, names: set[str]) -> None:
    """Delete the readings of these names."""
    for name in names:
        (folder(data_dir) / f"{name}{SUFFIX}").unlink(missing_ok=True)
