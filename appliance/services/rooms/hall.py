"""The door of the rooms: a WebSocket per person, tickets checked, limits held, who is in.

A person's page opens a WebSocket through the front server and says, in JSON:

    {"type": "join", "ticket": "…"}                        then, to the box's offer,
    {"type": "answer", "sdp": "…", "camera": true, "microphone": true}
    {"type": "devices", "camera": false, "microphone": true}   whenever they change
    {"type": "signal", "pair": 3, "data": {…}}    for the other of a pair (below)

and the box says:

    {"type": "offer", "sdp": "…", "places": 7, "video": {"width": 640, …}}
    {"type": "people", "people": [{"place": 0, "name": "…", "camera": …, "microphone": …}]}
    {"type": "refused", "reason": "expired" | "forged" | "full" | "busy" | "closed" |
                              "ended" | "protocol" | "late" | "flood"}
    {"type": "elsewhere"}     the same person entered from another page
    {"type": "removed"}       a caretaker took this person out of the room
    {"type": "closed"}        a caretaker closed the room
    {"type": "declined"}      the person called does not answer
    {"type": "ended"}         the event the room was for is over
    {"type": "pair", "pair": 3, "offerer": true, "place": 0}   two alone: talk directly
    {"type": "signal", "pair": 3, "data": {…}}   the other's words for that connection
    {"type": "unpair", "pair": 3}                back to the box

The web service gives a caretaker's or mediator's orders the same way, signed with the
same key (core/domain/room_tickets.py): {"type": "order", "order": "…"}, answered
{"type": "done", "out": 2}.

Everything a page sends is checked: a message that is not what the protocol allows
ends that person's connection, with the reason logged, and nobody else's. Nothing said
or shown is kept anywhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from appliance.services.rooms.forwarding import VIDEO
from appliance.services.rooms.participant import Participant, Person
from appliance.services.rooms.room import Room, RoomFull
from appliance.services.rooms.streams import OutgoingStream
from core.domain import room_presence, room_tickets

log = logging.getLogger("residacoeur.rooms")

# A page has this long to show its ticket, then to answer the offer; ICE and DTLS on a
# LAN take well under a second, a phone waking its radio a few.
JOIN_SECONDS = 10
ANSWER_SECONDS = 30
CONNECT_SECONDS = 30
# A room a caretaker closed stays closed this long (everyone out, nobody in).
CLOSED_SECONDS = 30 * 60
# The largest message a page may send: an answer for a full room is about 15 KiB.
MAX_MESSAGE = 128 * 1024


class Refused(Exception):
    """The page is turned away, with the reason it is told."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MessageBudget:
    """How many messages a page may still send: a burst (a browser's ICE candidates at
    once), then a few a second. Each message of a page may make the box tell everyone in
    the room: a page sending more is sent away before it can drown the others."""

    BURST = 40
    PER_SECOND = 5.0

    def __init__(self) -> None:
        self.tokens = float(self.BURST)
        self.at: float | None = None

    def take(self, now: float) -> bool:
        if self.at is not None:
            self.tokens = min(self.BURST, self.tokens + (now - self.at) * self.PER_SECOND)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


@dataclass(frozen=True)
class Limits:
    """What the box allows, from the settings."""

    seats: int
    rooms: int
    people: int
    video_bitrate: int
    video_width: int
    video_height: int


class Hall:
    """Every room open on the box, and everyone in them."""

    def __init__(self, key: str, limits: Limits, data_dir: str) -> None:
        self.key = key
        self.limits = limits
        self.data_dir = data_dir
        self.rooms: dict[str, Room] = {}
        self.sockets: dict[Participant, ServerConnection] = {}
        self._goodbyes: set[asyncio.Future[None]] = set()
        # Rooms a caretaker closed, until when (monotonic seconds).
        self.closed: dict[str, float] = {}

    async def handle(self, websocket: ServerConnection) -> None:
        """One person's page, from its ticket until it goes; or a caretaker's order."""
        try:
            message = await _receive(websocket, JOIN_SECONDS, ("join", "order"))
            if message["type"] == "order":
                await self._obey(websocket, message)
                return
            person = self._person(websocket, message)
            room = self._room(person)
            self._send_away_earlier(person)
            participant = Participant(
                person, room.free_seat(), self.limits.seats - 1, self.limits.video_bitrate
            )
        except Refused as refused:
            await _refuse(websocket, refused.reason)
            return
        except RoomFull:
            await _refuse(websocket, "full")
            return
        except ConnectionClosed:
            return
        room.sit(participant)
        self.sockets[participant] = websocket
        self.write_presence()
        try:
            await self._take_part(websocket, room, participant)
        except Refused as refused:
            await _refuse(websocket, refused.reason)
        except (ConnectionClosed, TimeoutError):
            pass
        finally:
            room.leave(participant)
            self.sockets.pop(participant, None)
            await participant.close()
            if room.empty():
                self.rooms.pop(room.id, None)
                if room.ending is not None:
                    room.ending.cancel()
            self.write_presence()
            await self._tell(room)
            await self._pair(room)

    def _person(self, websocket: ServerConnection, message: dict[str, Any]) -> Person:
        content = self._read(room_tickets.read, message, "ticket", websocket)
        return Person(content["profile_id"], content["name"], content["room"], content["until"])

    def _read(
        self,
        reader: Callable[[str, str], dict[str, str]],
        message: dict[str, Any],
        field: str,
        websocket: ServerConnection,
    ) -> dict[str, str]:
        """A ticket or an order of the message, read with this box's key; Refused with
        the reason when it is not one."""
        token = message.get(field)
        if not isinstance(token, str):
            raise Refused("protocol")
        try:
            return reader(self.key, token)
        except room_tickets.TicketRefused as refused:
            log.info("%s refused (%s) from %s", field, refused.reason, _address(websocket))
            raise Refused(refused.reason) from None

    def _room(self, person: Person) -> Room:
        if self.closed.get(person.room, 0) > time.monotonic():
            raise Refused("closed")
        if person.until and person.until <= time.time():
            raise Refused("ended")
        # What the box forwards grows with everyone in its rooms, whichever room they
        # are in: the benchmark's measure (docs/PERFORMANCE.md, "Video rooms").
        others = [p for p in self.sockets if p.person.profile_id != person.profile_id]
        if len(others) >= self.limits.people:
            raise Refused("busy")
        room = self.rooms.get(person.room)
        if room is None:
            if len(self.rooms) >= self.limits.rooms:
                raise Refused("busy")
            room = self.rooms[person.room] = Room(person.room, self.limits.seats)
        if person.until and person.until != room.ends_at:
            self._end_at(room, person.until)
        return room

    def _end_at(self, room: Room, until: int) -> None:
        """Send everyone out of an event's room at its end. Each ticket says the end as
        the event has it now: an event moved while people are in moves the end too."""
        if room.ending is not None:
            room.ending.cancel()

        def end() -> None:
            task = asyncio.ensure_future(self._send_out(room, "ended"))
            self._goodbyes.add(task)
            task.add_done_callback(self._goodbyes.discard)

        room.ends_at = until
        room.ending = asyncio.get_running_loop().call_later(max(0.0, until - time.time()), end)

    async def _send_out(self, room: Room, kind: str, profile_id: str | None = None) -> int:
        """Tell the people of the room why they go (everyone, or one), and close their
        connections; return how many went."""
        going = [
            participant
            for participant in list(room.participants.values())
            if profile_id is None or participant.person.profile_id == profile_id
        ]
        for participant in going:
            websocket = self.sockets.get(participant)
            if websocket is not None:
                await _refuse(websocket, kind, kind=kind)
        return len(going)

    def _send_away_earlier(self, person: Person) -> None:
        """One person, one place: a page opened again takes over from the earlier one."""
        for participant, websocket in list(self.sockets.items()):
            if participant.person.profile_id == person.profile_id:
                task = asyncio.ensure_future(_refuse(websocket, "elsewhere", kind="elsewhere"))
                self._goodbyes.add(task)
                task.add_done_callback(self._goodbyes.discard)

    async def _obey(self, websocket: ServerConnection, message: dict[str, Any]) -> None:
        """An order from the web service: a caretaker's (someone out, or everyone out and
        the room closed for a while), a declined call (its room closed), or an event
        cancelled (everyone out of its room). Whoever goes is told why."""
        order = self._read(room_tickets.read_order, message, "order", websocket)
        if order["action"] in ("close", "decline"):
            self.closed[order["room"]] = time.monotonic() + CLOSED_SECONDS
        room = self.rooms.get(order["room"])
        kind = {"close": "closed", "decline": "declined", "remove": "removed", "end": "ended"}[
            order["action"]
        ]
        one = order["profile_id"] if order["action"] == "remove" else None
        out = await self._send_out(room, kind, one) if room else 0
        log.info("%s in %s by %s: %d out", order["action"], order["room"], order["by"], out)
        await websocket.send(json.dumps({"type": "done", "out": out}))

    async def _take_part(
        self, websocket: ServerConnection, room: Room, participant: Participant
    ) -> None:
        limits = self.limits
        await websocket.send(
            json.dumps(
                {
                    "type": "offer",
                    "sdp": await participant.offer(),
                    "places": limits.seats - 1,
                    "video": {
                        "width": limits.video_width,
                        "height": limits.video_height,
                        "bitrate": limits.video_bitrate,
                    },
                }
            )
        )
        answer = await _receive(websocket, ANSWER_SECONDS, ("answer",))
        sdp = answer.get("sdp")
        if not isinstance(sdp, str):
            raise Refused("protocol")
        _devices(participant, answer)
        try:
            await participant.answered(sdp)
        except ValueError as error:
            log.info("an answer that cannot be read from %s: %s", _address(websocket), error)
            raise Refused("protocol") from None
        await asyncio.wait_for(participant.connected.wait(), CONNECT_SECONDS)
        room.connect(participant)
        await self._tell(room)
        await self._pair(room)
        budget = MessageBudget()
        async for raw in websocket:
            if not budget.take(time.monotonic()):
                log.warning("a page sending too many messages, sent away: %s", _address(websocket))
                raise Refused("flood")
            message = _parsed(raw, ("devices", "signal"))
            if message["type"] == "signal":
                await self._relay(room, participant, message)
                continue
            _devices(participant, message)
            await self._tell(room)

    async def _pair(self, room: Room) -> None:
        """Two people alone in a room talk directly, browser to browser on the building's
        network, and the box only passes their words on: it forwards nothing. A third
        arrival, or a departure, ends the pairing: the pages go back to the box."""
        wanted = room.wanted_pair()
        if wanted == room.pair:
            return
        if room.pair is not None:
            for participant in room.pair:
                await self._say(participant, {"type": "unpair", "pair": room.pair_number})
        room.pair = wanted
        if wanted is None:
            return
        room.pair_number += 1
        for participant, offerer in zip(wanted, (True, False), strict=True):
            other = room.partner_of(participant)
            assert other is not None
            await self._say(
                participant,
                {
                    "type": "pair",
                    "pair": room.pair_number,
                    "offerer": offerer,
                    "place": participant.place_number(other),
                },
            )

    async def _relay(self, room: Room, participant: Participant, message: dict[str, Any]) -> None:
        """Pass a page's words for its direct connection to the other of the pair."""
        other = room.partner_of(participant)
        data = message.get("data")
        if other is None or message.get("pair") != room.pair_number or not isinstance(data, dict):
            return
        await self._say(other, {"type": "signal", "pair": room.pair_number, "data": data})

    async def _say(self, participant: Participant, message: dict[str, Any]) -> None:
        websocket = self.sockets.get(participant)
        if websocket is not None:
            with contextlib.suppress(ConnectionClosed):
                await websocket.send(json.dumps(message))

    def pause_video(self) -> None:
        """Hold every person's video, as when the box runs short; sound goes on."""
        for outlet in self._video_outlets():
            outlet.pause()

    def resume_video(self) -> None:
        for outlet in self._video_outlets():
            outlet.resume()

    def _video_outlets(self) -> list[OutgoingStream]:
        return [
            place[VIDEO]
            for room in self.rooms.values()
            for participant in room.participants.values()
            for place in participant.places
        ]

    def write_presence(self) -> None:
        """Tell the web service who is in each room now (core/domain/room_presence.py)."""
        room_presence.write(
            self.data_dir,
            {
                room.id: [
                    {"profile_id": participant.person.profile_id, "name": participant.person.name}
                    for participant in room.participants.values()
                ]
                for room in self.rooms.values()
            },
        )

    async def _tell(self, room: Room) -> None:
        """Tell everyone in the room who is there now, each with their own places."""
        for viewer in list(room.participants.values()):
            people = [
                {
                    "place": viewer.place_number(other),
                    "name": other.person.name,
                    "camera": other.camera,
                    "microphone": other.microphone,
                    "joined": other.connected.is_set(),
                }
                for other in room.participants.values()
                if other is not viewer
            ]
            await self._say(viewer, {"type": "people", "people": people})

    async def close(self) -> None:
        for websocket in list(self.sockets.values()):
            await websocket.close(1001, "the box is restarting")


def _devices(participant: Participant, message: dict[str, Any]) -> None:
    camera, microphone = message.get("camera"), message.get("microphone")
    if not isinstance(camera, bool) or not isinstance(microphone, bool):
        raise Refused("protocol")
    participant.camera, participant.microphone = camera, microphone


async def _receive(
    websocket: ServerConnection, seconds: float, kinds: tuple[str, ...]
) -> dict[str, Any]:
    try:
        raw = await asyncio.wait_for(websocket.recv(), seconds)
    except TimeoutError:
        raise Refused("late") from None
    return _parsed(raw, kinds)


def _parsed(raw: str | bytes, kinds: tuple[str, ...]) -> dict[str, Any]:
    try:
        message = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        message = None
    if not isinstance(message, dict) or message.get("type") not in kinds:
        log.info("a message that is not one of %s: %.200r", kinds, raw)
        raise Refused("protocol")
    return message


async def _refuse(websocket: ServerConnection, reason: str, kind: str = "refused") -> None:
    with contextlib.suppress(ConnectionClosed):
        await websocket.send(json.dumps({"type": kind, "reason": reason}))
        await websocket.close(4000, reason)


def _address(websocket: ServerConnection) -> str:
    forwarded = websocket.request.headers.get("X-Forwarded-For") if websocket.request else None
    return forwarded or "a local page"
