"""One person in a room: their one connection to the box, what they send, what they see.

The box makes the offer, once: two streams the person may send (audio and video), then
for each other place of the room an audio and a video stream the person receives. Places
are fixed when the person enters, so nobody's arrival or departure renegotiates anyone's
connection: a place starts or stops carrying someone, and the signalling says who. All
streams share one transport (BUNDLE), and ICE offers only the box's own addresses — no
STUN or TURN server: the media never leaves the building's network.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiortc import (
    RTCBundlePolicy,
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpSender,
    RTCSessionDescription,
)
from aiortc.rtcrtpparameters import RTCRtpReceiveParameters, RTCRtpSendParameters
from aiortc.rtcrtptransceiver import RTCRtpTransceiver

from appliance.services.rooms.forwarding import AUDIO, VIDEO
from appliance.services.rooms.streams import IncomingStream, OutgoingStream

KINDS = (AUDIO, VIDEO)
CODECS = {AUDIO: "audio/opus", VIDEO: "video/VP8"}
# Opus and VP8 (with VP8's retransmissions), the same for every transceiver.
_PREFERRED = {
    kind: [
        codec
        for codec in RTCRtpSender.getCapabilities(kind).codecs
        if codec.mimeType in (CODECS[kind], f"{kind}/rtx")
    ]
    for kind in KINDS
}
# Reception reports and the bitrate cap go to each sender about once a second.
REPORT_INTERVAL = 1.0


@dataclass(frozen=True)
class Person:
    """Who entered, as their ticket says."""

    profile_id: str
    name: str
    room: str
    # When the room closes, in seconds since 1970 (an event's end); 0: it stays open.
    until: int = 0


class Participant:
    """One person's connection to the box in one room."""

    def __init__(self, person: Person, seat: int, places: int, video_bitrate: int) -> None:
        self.person = person
        self.seat = seat
        self.camera = False
        self.microphone = False
        self.connection = RTCPeerConnection(
            RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
        )
        self.incoming: dict[str, IncomingStream] = {}
        self.places: list[dict[str, OutgoingStream]] = []
        self.connected = asyncio.Event()
        self._reports: asyncio.Task[None] | None = None
        for kind in KINDS:
            transceiver = self._transceiver(kind, "recvonly")
            stream = IncomingStream(
                kind,
                transceiver.receiver.transport,
                transceiver.sender._ssrc,
                video_bitrate,
            )
            self.incoming[kind] = stream
            transceiver.receiver.receive = _receiving(stream)  # type: ignore[method-assign]
        for _ in range(places):
            place = {}
            for kind in KINDS:
                transceiver = self._transceiver(kind, "sendonly")
                sender = transceiver.sender
                outgoing = OutgoingStream(kind, sender.transport, sender._ssrc, sender._rtx_ssrc)
                place[kind] = outgoing
                sender.send = _sending(outgoing)  # type: ignore[method-assign]
            self.places.append(place)
        self.connection.on("connectionstatechange", self._state_changed)

    def _transceiver(self, kind: str, direction: str) -> RTCRtpTransceiver:
        transceiver = self.connection.addTransceiver(kind, direction=direction)
        transceiver.setCodecPreferences(_PREFERRED[kind])
        return transceiver

    async def offer(self) -> str:
        """The box's offer, with its ICE candidates gathered."""
        await self.connection.setLocalDescription(await self.connection.createOffer())
        return self.connection.localDescription.sdp

    async def answered(self, sdp: str) -> None:
        await self.connection.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="answer"))

    def place_number(self, other: Participant) -> int:
        """Which of this person's places shows the other: the other seats, in order."""
        return other.seat - (1 if other.seat > self.seat else 0)

    def place_of(self, other: Participant) -> dict[str, OutgoingStream]:
        """The streams through which this person sees the other."""
        return self.places[self.place_number(other)]

    async def _state_changed(self) -> None:
        if self.connection.connectionState == "connected" and not self.connected.is_set():
            self.connected.set()
            self._reports = asyncio.ensure_future(self._report())

    async def _report(self) -> None:
        while True:
            await asyncio.sleep(REPORT_INTERVAL)
            for stream in self.incoming.values():
                await stream.report()

    async def close(self) -> None:
        if self._reports is not None:
            self._reports.cancel()
        for place in self.places:
            for outgoing in place.values():
                outgoing.stop()
        for stream in self.incoming.values():
            stream.stop()
        await self.connection.close()


def _receiving(stream: IncomingStream):
    async def receive(parameters: RTCRtpReceiveParameters) -> None:
        stream.start(parameters)

    return receive


def _sending(stream: OutgoingStream):
    async def send(parameters: RTCRtpSendParameters) -> None:
        stream.start(parameters)

    return send
