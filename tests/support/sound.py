"""How long a sound lasts and what it is, as ffprobe reads it."""

from __future__ import annotations

import json
import subprocess
import tempfile

PROBE = ["ffprobe", "-v", "error", "-show_entries", "format=duration,format_name", "-of", "json"]


def mp3_seconds(audio: bytes) -> float:
    """The length of an MP3 sound; AssertionError if it is not one."""
    with tempfile.NamedTemporaryFile(suffix=".mp3") as file:
        file.write(audio)
        file.flush()
        probe = subprocess.run([*PROBE, file.name], capture_output=True, check=True)
    shown = json.loads(probe.stdout)["format"]
    assert shown["format_name"] == "mp3", shown
    return float(shown["duration"])
