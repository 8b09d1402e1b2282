"""What the figures were measured on: the machine, and the version of the code."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parent.parent


def machine() -> dict[str, Any]:
    """Describe the machine: cores, CPU model, memory, kernel, Python and wrk versions."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    models = {
        line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line
    }
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    total_kib = int(next(line for line in meminfo if line.startswith("MemTotal:")).split()[1])
    # Only the web benchmark needs wrk; the others run where it is not installed.
    wrk_version = (
        subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
        if shutil.which("wrk")
        else "none"
    )
    return {
        "cores": os.cpu_count(),
        "cpu_model": ", ".join(sorted(models)),
        "memory_gib": round(total_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "wrk": wrk_version.split("[")[0].strip(),
    }


def source_version() -> dict[str, Any]:
    """Name the commit measured, and whether the tree had uncommitted changes."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(REPOSITORY), *args], capture_output=True, text=True
        ).stdout.strip()

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "changed": bool(git("status", "--short", "--untracked-files=no")),
        # Set when a variant of the code is measured instead of this tree.
        "pythonpath": os.environ.get("PYTHONPATH"),
    }
