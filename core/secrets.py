"""Secrets made on first start and kept in the data folder (a box's or the hub's), never in
the repository."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from core.private_files import private_file

SECRETS_FILE = "secrets.json"
# calendar_key signs the addresses of the buildings' calendars (events.feed_token);
# rooms_key the tickets into video rooms (core/domain/room_tickets.py).
_NAMES = ("session_key", "access_code_pepper", "calendar_key", "rooms_key")


def ensure_secrets(data_dir: str | Path) -> dict[str, str]:
    """Return this installation's secrets, creating any that are missing (file mode 0600)."""
    path = Path(data_dir) / SECRETS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    current: dict[str, str] = {}
    if path.exists():
        current = json.loads(path.read_text(encoding="utf-8"))
    missing = [name for name in _NAMES if name not in current]
    if missing:
        for name in missing:
            current[name] = secrets.token_hex(32)
        # Concurrent first starts never leave a half-written file; whichever lands last
        # wins for everyone.
        with private_file(path) as handle:
            json.dump(current, handle)
        current = json.loads(path.read_text(encoding="utf-8"))
    return current
