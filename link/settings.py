"""Where each side finds the broker: a small file of the data folder, readable by its owner.

``link.json`` on a box (written by ``residacoeur box enrol``), ``hub-link.json`` at the hub.
They hold a broker password, so they never leave the data folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core.private_files import private_file
from link.mqtt_link import BrokerAccess

BOX_FILE = "link.json"
HUB_FILE = "hub-link.json"


def write(path: Path, settings: dict[str, Any]) -> None:
    """Write link settings readable by their owner only."""
    with private_file(path) as handle:
        json.dump(settings, handle, indent=2)


def read(path: Path) -> dict[str, Any]:
    """Read link settings, or explain what is missing."""
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: enrol first")
    return json.loads(path.read_text(encoding="utf-8"))


def access(settings: dict[str, Any], client_id: str) -> BrokerAccess:
    """Return how to reach the broker under ``client_id``."""
    return BrokerAccess(
        host=settings["broker_host"],
        port=int(settings["broker_port"]),
        username=settings["username"],
        password=settings["password"],
        client_id=client_id,
        ca_file=settings.get("ca_file"),
    )
