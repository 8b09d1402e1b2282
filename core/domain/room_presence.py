"""Who is in each video room now, as the rooms process tells the web service.

The rooms process holds the rooms in memory; the web service shows what is live on the
home page and on the rooms' pages. Between the two, a small file in the data folder
(``rooms/live.json``, readable by the box's user only), written whole by the rooms
process at each arrival and departure and at least every 30 s. A file older than 90 s
says nothing: the rooms process is not running, and nobody is in a room.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.private_files import private_file

PRESENCE_FILE = Path("rooms") / "live.json"
# The rooms process writes at least this often, even when nothing changes.
REFRESH_SECONDS = 30
STALE_AFTER = timedelta(seconds=90)


def write(
    data_dir: str | Path, rooms: dict[str, list[dict[str, str]]], now: datetime | None = None
) -> None:
    """Say who is in each room now, by room id: each person's profile id and the name
    neighbours see."""
    written = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    with private_file(Path(data_dir) / PRESENCE_FILE) as handle:
        json.dump({"written_at": written, "rooms": rooms}, handle, ensure_ascii=False)


def present(data_dir: str | Path, now: datetime | None = None) -> dict[str, list[dict[str, str]]]:
    """Who is in each room now; nobody anywhere when nothing recent was written."""
    try:
        content = json.loads((Path(data_dir) / PRESENCE_FILE).read_text(encoding="utf-8"))
        written = datetime.fromisoformat(content["written_at"])
        rooms = content["rooms"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if (now or datetime.now(UTC)) - written > STALE_AFTER or not isinstance(rooms, dict):
        return {}
    return {
        room: [
            {"profile_id": person["profile_id"], "name": person["name"]}
            for person in people
            if isinstance(person, dict)
            and isinstance(person.get("profile_id"), str)
            and isinstance(person.get("name"), str)
        ]
        for room, people in rooms.items()
        if isinstance(room, str) and isinstance(people, list) and people
    }
