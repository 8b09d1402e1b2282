"""What a room page needs to reach the rooms process: where its WebSocket goes (the
rooms process, behind the front server, at the page's own origin) and the ticket it
shows there (the rooms process never sees the session cookie: see
core/domain/room_tickets.py)."""

from __future__ import annotations

from typing import Any

from flask import current_app, request

from core.domain import room_tickets, video_rooms
from core.secrets import ensure_secrets


def live_address() -> str:
    """The WebSocket address of the rooms, as the browser reached this page."""
    scheme = "wss" if request.is_secure else "ws"
    return f"{scheme}://{request.host}/live/rooms/"


def ticket(person: dict[str, Any], room: dict[str, Any]) -> str:
    """A ticket for this person (``id``, ``display_name``) into this room, until the
    room closes if it does (an event's end)."""
    key = ensure_secrets(current_app.config["RESIDACOEUR"]["data_dir"])["rooms_key"]
    return room_tickets.issue(key, person, room["id"], video_rooms.open_until(room))
