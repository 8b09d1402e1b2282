"""An order to the box's rooms process (a caretaker's, a declined call, an event's room
ended), handed over on its socket.

The web service signs the order with the box's rooms key (core/domain/room_tickets.py)
and gives it to the rooms process as a page would give a ticket: a WebSocket on the
rooms' socket, beside the web service's, one message and its answer. Without that
socket (the web service alone on a port, as in development) or without an answer,
nobody is in a room to act on.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from websockets.exceptions import WebSocketException
from websockets.sync.client import unix_connect

from core.domain import event_rooms, room_tickets
from core.secrets import ensure_secrets
from provisioning.front_config import FrontServerError, live_socket

# The rooms process answers at once; a page must not wait on it for long.
ANSWER_SECONDS = 5


class RoomsUnreachable(Exception):
    """The rooms process did not take the order."""


def give(config: dict[str, Any], by: str, room: str, action: str, profile_id: str = "") -> int:
    """Sign the order and hand it over; return how many people it sent out of the room."""
    key = ensure_secrets(config["data_dir"])["rooms_key"]
    order = room_tickets.order(key, by, room, action, profile_id)
    try:
        socket = live_socket(config, "rooms")
    except FrontServerError as error:
        raise RoomsUnreachable(str(error)) from None
    try:
        with unix_connect(
            str(socket), "ws://localhost/live/rooms/", open_timeout=ANSWER_SECONDS
        ) as rooms:
            rooms.send(json.dumps({"type": "order", "order": order}))
            answer = json.loads(rooms.recv(timeout=ANSWER_SECONDS))
    except (OSError, TimeoutError, WebSocketException, ValueError) as error:
        raise RoomsUnreachable(str(error)) from None
    if answer.get("type") != "done":
        raise RoomsUnreachable(f"the rooms process said {answer!r}")
    return int(answer.get("out", 0))


def end_event_room(config: dict[str, Any], by: str, event_id: str) -> None:
    """Send everyone out of an event's room, the event cancelled or its room taken away.
    Rooms out of reach hold nobody to send out."""
    with contextlib.suppress(RoomsUnreachable):
        give(config, by, event_rooms.room_id(event_id), "end")
