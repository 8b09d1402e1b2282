"""Benchmark bots: people who enter one video room, send a clip, and count what they get.

``python -m bench.rooms_bots <json>`` runs some of a room's people in one asyncio loop
(bench/rooms.py spreads them over processes, as people are spread over phones) and
writes what they counted to the file the JSON names. Each bot enters:

- the box's room (``box``): over the rooms process's WebSocket with a ticket signed as
  the web service signs one, answering the box's offer as room.js does;
- Janus's VideoRoom (``janus``): over Janus's WebSocket API, publishing its clip, then
  subscribing to every other publisher in one connection once all have arrived.

Each bot sends its own clip, already encoded (bench/rooms.py makes them with ffmpeg), and
counts what it receives without decoding it (bench/rooms_streams.py).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any

from aiortc import (
    RTCBundlePolicy,
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpSender,
    RTCSessionDescription,
)
from aiortc.contrib.media import MediaPlayer
from websockets.asyncio.client import ClientConnection, connect, unix_connect

from bench.rooms_streams import Tally, Window, count_instead_of_decoding, note_what_is_sent
from core.domain import room_tickets

JANUS_ROOM = 1234
_PREFERRED = {
    kind: [c for c in RTCRtpSender.getCapabilities(kind).codecs if c.name in ("VP8", "opus")]
    for kind in ("audio", "video")
}


def _connection() -> RTCPeerConnection:
    # MAX_BUNDLE, as browsers answer: with aiortc's default (balanced), the third and
    # later m-lines of a kind keep a transport the bundle then discards, and never start.
    return RTCPeerConnection(
        RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
    )


async def box_bot(plan: dict[str, Any], name: str, tally: Tally) -> None:
    """One person in the box's room, from the ticket to the end of the window."""
    person = {"id": f"bench-{name}", "display_name": name}
    ticket = room_tickets.issue(plan["rooms_key"], person, "neighbours-bench")
    async with unix_connect(plan["socket"], "ws://localhost/live/rooms/") as socket:
        tally.joining[name] = time.time()
        await socket.send(json.dumps({"type": "join", "ticket": ticket}))
        offer = await _next(socket, "offer")
        connection = _connection()
        await connection.setRemoteDescription(RTCSessionDescription(offer["sdp"], "offer"))
        player = MediaPlayer(plan["clips"][int(name.removeprefix("bot"))], decode=False)
        # The box's offer: its two receiving transceivers, then two per other seat.
        transceivers = connection.getTransceivers()
        for transceiver in transceivers[:2]:
            track = player.audio if transceiver.kind == "audio" else player.video
            transceiver.direction = "sendonly"
            transceiver.sender.replaceTrack(track)
        for transceiver in transceivers[2:]:
            transceiver.direction = "recvonly"
            count_instead_of_decoding(transceiver, tally, name)
        await connection.setLocalDescription(await connection.createAnswer())
        note_what_is_sent(connection, tally)
        answer = {"type": "answer", "sdp": connection.localDescription.sdp}
        await socket.send(json.dumps({**answer, "camera": True, "microphone": True}))
        await _until(socket, tally.window.end + 1)
        await connection.close()


async def _next(socket: ClientConnection, kind: str) -> dict[str, Any]:
    while True:
        message = json.loads(await socket.recv())
        if message["type"] == kind:
            return message
        if message["type"] == "refused":
            raise RuntimeError(f"refused: {message['reason']}")


async def _until(socket: ClientConnection, moment: float) -> None:
    """Keep the WebSocket read (its pings answered) until ``moment``."""
    while time.time() < moment:
        try:
            await asyncio.wait_for(socket.recv(), max(0.1, moment - time.time()))
        except TimeoutError:
            return


class Janus:
    """One session of Janus's WebSocket API: each request and the answer it brings, by
    transaction (a plugin's answer may come later, as an event; others are ignored)."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.session: int | None = None
        self._numbers = itertools.count()
        self._waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._tasks = [asyncio.ensure_future(self._read())]

    async def _read(self) -> None:
        async for raw in self.socket:
            message = json.loads(raw)
            if message.get("janus") not in ("success", "error", "event"):
                continue
            waiting = self._waiting.pop(message.get("transaction", ""), None)
            if waiting is not None and not waiting.done():
                waiting.set_result(message)

    async def request(self, body: dict[str, Any]) -> dict[str, Any]:
        transaction = str(next(self._numbers))
        waiting = self._waiting[transaction] = asyncio.get_running_loop().create_future()
        if self.session is not None:
            body = {"session_id": self.session, **body}
        await self.socket.send(json.dumps({**body, "transaction": transaction}))
        answer = await asyncio.wait_for(waiting, 30)
        error = answer.get("error") or answer.get("plugindata", {}).get("data", {}).get("error")
        if error:
            raise RuntimeError(f"janus: {error}")
        return answer

    async def start(self) -> None:
        self.session = (await self.request({"janus": "create"}))["data"]["id"]
        self._tasks.append(asyncio.ensure_future(self._keep_alive()))

    async def _keep_alive(self) -> None:
        # Answered by a bare acknowledgement: nothing to wait for.
        while True:
            await asyncio.sleep(20)
            keepalive = {"janus": "keepalive", "session_id": self.session, "transaction": "-"}
            await self.socket.send(json.dumps(keepalive))

    async def attach(self) -> int:
        answer = await self.request({"janus": "attach", "plugin": "janus.plugin.videoroom"})
        return answer["data"]["id"]

    async def message(
        self, handle: int, body: dict[str, Any], jsep: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A message to the plugin; its answer, with the plugin's data and any jsep."""
        request = {"janus": "message", "handle_id": handle, "body": body}
        if jsep is not None:
            request["jsep"] = jsep
        return await self.request(request)

    def close(self) -> None:
        for task in self._tasks:
            task.cancel()


async def janus_bot(plan: dict[str, Any], name: str, tally: Tally) -> None:
    """One person in Janus's room: publish the clip, then subscribe to all the others."""
    async with connect(plan["janus_url"], subprotocols=["janus-protocol"]) as socket:
        janus = Janus(socket)
        await janus.start()
        publisher = await janus.attach()
        joined = await janus.message(
            publisher,
            {"request": "join", "ptype": "publisher", "room": JANUS_ROOM, "display": name},
        )
        me = joined["plugindata"]["data"]["id"]
        sending = _connection()
        player = MediaPlayer(plan["clips"][int(name.removeprefix("bot"))], decode=False)
        for track in (player.audio, player.video):
            transceiver = sending.addTransceiver(track, direction="sendonly")
            transceiver.setCodecPreferences(_PREFERRED[track.kind])
        await sending.setLocalDescription(await sending.createOffer())
        offer = {"type": "offer", "sdp": sending.localDescription.sdp}
        published = await janus.message(
            publisher, {"request": "publish", "audio": True, "video": True}, offer
        )
        await sending.setRemoteDescription(
            RTCSessionDescription(published["jsep"]["sdp"], "answer")
        )
        note_what_is_sent(sending, tally)
        others = await _everyone_else(janus, publisher, me, plan["people"])
        subscriber = await janus.attach()
        tally.joining[name] = time.time()
        attached = await janus.message(
            subscriber,
            {
                "request": "join",
                "ptype": "subscriber",
                "room": JANUS_ROOM,
                "streams": [{"feed": feed} for feed in others],
            },
        )
        receiving = _connection()
        await receiving.setRemoteDescription(
            RTCSessionDescription(attached["jsep"]["sdp"], "offer")
        )
        for transceiver in receiving.getTransceivers():
            transceiver.direction = "recvonly"
            count_instead_of_decoding(transceiver, tally, name)
        await receiving.setLocalDescription(await receiving.createAnswer())
        answer = {"type": "answer", "sdp": receiving.localDescription.sdp}
        await janus.message(subscriber, {"request": "start"}, answer)
        await asyncio.sleep(max(0.0, tally.window.end + 1 - time.time()))
        await receiving.close()
        await sending.close()
        janus.close()


async def _everyone_else(janus: Janus, handle: int, me: int, people: int) -> list[int]:
    """The feeds of the room's other publishers, once all of them publish."""
    while True:
        listed = await janus.message(handle, {"request": "listparticipants", "room": JANUS_ROOM})
        participants = listed["plugindata"]["data"]["participants"]
        publishing = [p["id"] for p in participants if p.get("publisher")]
        if len(publishing) >= people:
            return [feed for feed in publishing if feed != me]
        await asyncio.sleep(0.5)


async def main(plan: dict[str, Any]) -> None:
    tally = Tally(Window(plan["window"][0], plan["window"][1]))
    bot = box_bot if plan["server"] == "box" else janus_bot
    results = await asyncio.gather(
        *(bot(plan, name, tally) for name in plan["names"]), return_exceptions=True
    )
    failures = [repr(result) for result in results if isinstance(result, BaseException)]
    summary = tally.summary()
    summary["failures"] = failures
    Path(plan["results"]).write_text(json.dumps(summary), encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main(json.loads(sys.argv[1])))
