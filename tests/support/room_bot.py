"""A participant of a video room made with aiortc, for tests that need one without a
browser: it shows its ticket, answers the box's offer (sending nothing) and keeps what
the box says. Its connection comes up for real, over the machine's own addresses."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from websockets.asyncio.client import ClientConnection, unix_connect

URI = "ws://localhost/live/rooms/"


class RoomBot:
    def __init__(self, socket: Path) -> None:
        self.socket = socket
        self.websocket: ClientConnection | None = None
        self.connection = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.said: list[dict] = []
        self._listening: asyncio.Task | None = None

    async def enter(self, ticket: str) -> None:
        """Show the ticket, answer the offer, and wait until the box says who is there."""
        self.websocket = await unix_connect(str(self.socket), URI)
        await self.websocket.send(json.dumps({"type": "join", "ticket": ticket}))
        offer = json.loads(await self.websocket.recv())
        assert offer["type"] == "offer", offer
        await self.connection.setRemoteDescription(
            RTCSessionDescription(sdp=offer["sdp"], type="offer")
        )
        await self.connection.setLocalDescription(await self.connection.createAnswer())
        await self.websocket.send(
            json.dumps(
                {
                    "type": "answer",
                    "sdp": self.connection.localDescription.sdp,
                    "camera": False,
                    "microphone": False,
                }
            )
        )
        self._listening = asyncio.ensure_future(self._listen())
        await self.wait_for("people")

    async def _listen(self) -> None:
        assert self.websocket is not None
        async for raw in self.websocket:
            self.said.append(json.loads(raw))

    async def wait_for(self, kind: str, timeout: float = 20) -> dict:
        """The first message of this kind the box said (waiting for it if need be)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            for message in self.said:
                if message["type"] == kind:
                    return message
            await asyncio.sleep(0.05)
        raise AssertionError(f"no {kind!r} message in {timeout} s; said last: {self.said[-3:]}")

    def count(self, kind: str) -> int:
        return sum(1 for message in self.said if message["type"] == kind)

    async def send(self, message: dict) -> None:
        assert self.websocket is not None
        await self.websocket.send(json.dumps(message))

    @property
    def closed(self) -> bool:
        return self.websocket is None or self.websocket.close_code is not None

    async def leave(self) -> None:
        if self.websocket is not None:
            await self.websocket.close()
        if self._listening is not None:
            self._listening.cancel()
        await self.connection.close()
