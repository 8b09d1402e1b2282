"""A caretaker's order to the box's rooms process, handed over on its socket.

The web service signs the order (core/domain/room_tickets.py) and gives it to the rooms
process as a page would give a ticket: a WebSocket on the rooms' socket, beside the web
service's, one message and its answer. Without that socket (the web service alone on a
port, as in development) or without an answer, nobody is in a room to act on.
"""

from __future__ import annotations

import json
from typing import Any

from websockets.exceptions import WebSocketException
from websockets.sync.client import unix_connect

from provisioning.front_config import FrontServerError, live_socket

# The rooms process answers at once; a page must not wait on it for long.
ANSWER_SECONDS = 5


class RoomsUnreachable(Exception):
    """The rooms process did not take the order."""


def give(config: dict[str, Any], order: str) -> int:
    """Hand the order over; return how many people it sent out of the room."""
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
