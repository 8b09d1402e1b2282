"""The link's commands as the machine runs them, for benchmarks: ``residacoeur hub ingest``
and ``residacoeur box link``, each a process of its own with its output in a log file.

They run the code of this checkout, or of the folder named first in ``PYTHONPATH`` when
a variant is measured (``bench.machine.source_version`` notes which).
"""

from __future__ import annotations

import os
from pathlib import Path

from bench.machine import REPOSITORY
from link import settings
from tests.support.link_processes import COMMAND, LinkProcess


class Command(LinkProcess):
    """One ``residacoeur`` process whose CPU time and memory can be read."""

    @property
    def pid(self) -> int:
        if not self.running:
            raise RuntimeError(f"{self.name} is not running")
        return self._process.pid

    def memory_kib(self) -> dict[str, int]:
        """Resident memory now and at its peak, in KiB."""
        status = Path(f"/proc/{self.pid}/status").read_text().splitlines()
        fields = dict(line.split(":", 1) for line in status if line.startswith("Vm"))
        return {"rss": int(fields["VmRSS"].split()[0]), "peak": int(fields["VmHWM"].split()[0])}


def _environment(database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("RESIDACOEUR_")}
    env["RESIDACOEUR_DATABASE_URL"] = database_url
    env["PYTHONPATH"] = os.pathsep.join(
        [*filter(None, [os.environ.get("PYTHONPATH")]), str(REPOSITORY)]
    )
    return env


def hub_ingest(folder: Path, database_url: str, access: dict) -> Command:
    """Start ``residacoeur hub ingest`` on a data folder of its own, with ``access`` as its
    link settings (``link.settings``); it is connected to the broker when this returns."""
    data_dir = folder / "hub-data"
    settings.write(data_dir / settings.HUB_FILE, access)
    argv = [str(COMMAND), "hub", "ingest", "--data-dir", str(data_dir)]
    command = Command("hub-ingest", argv, _environment(database_url), folder / "ingest.log")
    command.start()
    return command


def box_link(folder: Path, database_url: str, data_dir: Path) -> Command:
    """Start ``residacoeur box link`` on an enrolled box's data folder; it is connected to
    the broker when this returns."""
    argv = [str(COMMAND), "box", "link", "--data-dir", str(data_dir)]
    command = Command("box-link", argv, _environment(database_url), folder / "agent.log")
    command.start()
    return command
