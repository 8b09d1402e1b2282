"""Tickets into a video room (who, which room, until when) and caretakers' orders about a
room, signed by the web service.

The rooms process never sees the portal's session cookie: the web service, which knows
who is signed in and which rooms they may enter, signs a short-lived ticket that the
room page hands to the rooms process over its WebSocket. The key (`rooms_key`, made on
first start with the other secrets) is shared by the two processes of one box only; a
ticket from another box, a changed one, an old one or one for another room is refused.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

# Long enough to load the page and allow the camera, short enough that a copied ticket
# is soon worth nothing; the page asks for a new one to come back in.
TICKET_SECONDS = 120
_SALT = "video-room-ticket"


class TicketRefused(Exception):
    """The ticket cannot open the room: forged, expired or for another room."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def issue(key: str, person: dict[str, Any], room: str, until: datetime | None = None) -> str:
    """A ticket for this signed-in person (a tenant's profile; or a staff member, whose
    ``id`` is then ``staff-`` and theirs) into this room; ``until``: when the room closes
    (an event's end)."""
    return URLSafeTimedSerializer(key, salt=_SALT).dumps(
        {
            "profile_id": person["id"],
            "name": person["display_name"],
            "room": room,
            "until": 0 if until is None else int(until.replace(tzinfo=UTC).timestamp()),
        }
    )


def read(key: str, ticket: str, max_age: int = TICKET_SECONDS) -> dict[str, Any]:
    """Who the ticket lets in, where, and until when (seconds since 1970, 0: no end);
    TicketRefused when it lets nobody in."""
    content = _signed(key, _SALT, ticket, max_age, ("profile_id", "name", "room"))
    if type(content.get("until")) is not int:
        raise TicketRefused("forged")
    return content


def _signed(
    key: str, salt: str, token: str, max_age: int, texts: tuple[str, ...]
) -> dict[str, str]:
    """What a token signed here lately says, each of ``texts`` a text; TicketRefused
    ("expired", "forged") otherwise."""
    try:
        content = URLSafeTimedSerializer(key, salt=salt).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise TicketRefused("expired") from error
    except BadSignature as error:
        raise TicketRefused("forged") from error
    if not isinstance(content, dict) or not all(
        isinstance(content.get(name), str) for name in texts
    ):
        raise TicketRefused("forged")
    return content


# An order is handed over at once, from the web service to the rooms process.
ORDER_SECONDS = 30
_ORDER_SALT = "video-room-order"
ORDERS = ("remove", "close", "decline", "end")


def order(key: str, by: str, room: str, action: str, profile_id: str = "") -> str:
    """An order to the rooms process, from a caretaker or mediator (``by`` their staff
    id): take someone out of a room (``remove``, ``profile_id``), or send everyone out and
    keep it closed (``close``); or from the person called (``by`` their profile id), who
    does not answer (``decline``: the caller is told, the call's room closed); or from
    an event's organiser, who cancelled it or took its room away (``end``: everyone out,
    told the event's room is over)."""
    if action not in ORDERS:
        raise ValueError(f"no such order: {action}")
    return URLSafeTimedSerializer(key, salt=_ORDER_SALT).dumps(
        {"by": by, "room": room, "action": action, "profile_id": profile_id}
    )


def read_order(key: str, token: str) -> dict[str, str]:
    """What the order says; TicketRefused when it was not signed here just now."""
    content = _signed(key, _ORDER_SALT, token, ORDER_SECONDS, ("by", "room", "profile_id"))
    if content.get("action") not in ORDERS:
        raise TicketRefused("forged")
    return content
