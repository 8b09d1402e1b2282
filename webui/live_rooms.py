"""Where a room page's WebSocket goes: the rooms process, behind the front server, at the
page's own origin (the rooms process never sees the session cookie: see
core/domain/room_tickets.py)."""

from __future__ import annotations

from flask import request


def live_address() -> str:
    """The WebSocket address of the rooms, as the browser reached this page."""
    scheme = "wss" if request.is_secure else "ws"
    return f"{scheme}://{request.host}/live/rooms/"
