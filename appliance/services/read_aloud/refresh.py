"""One pass over what the portal offers: speak the readings not spoken yet, forget those
no item says any more. Run in the background, never while a page waits."""

from __future__ import annotations

import logging
import subprocess
from datetime import tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from appliance.services.read_aloud import voice
from core import speech_library
from core.domain import estate, read_aloud
from core.domain.clock import utcnow

log = logging.getLogger(__name__)


def refresh(
    connection: Connection, data_dir: str | Path, language: str, zone: tzinfo
) -> dict[str, Any]:
    """Bring the spoken readings in line with the portal; return what was done."""
    wanted = read_aloud.for_buildings(
        connection, estate.list_buildings(connection), language, zone, utcnow()
    )
    spoken = speech_library.spoken(data_dir)
    said, failed = 0, 0
    for reading in wanted:
        if reading.name in spoken:
            continue
        try:
            speech_library.keep(data_dir, reading.name, voice.speak(reading.text, reading.language))
            said += 1
        except (OSError, subprocess.SubprocessError) as error:
            # One reading the voice cannot say must not stop the others.
            log.warning("could not read %s %s aloud: %s", reading.kind, reading.item_id, error)
            failed += 1
    gone = spoken - {reading.name for reading in wanted}
    speech_library.forget(data_dir, gone)
    return {"spoken": said, "failed": failed, "forgotten": len(gone), "readings": len(wanted)}


def refresh_box(connection: Connection, config: dict[str, Any]) -> dict[str, Any]:
    """One pass with the box's settings: its data folder, language and time zone."""
    return refresh(
        connection, config["data_dir"], config["default_locale"], ZoneInfo(config["timezone"])
    )
