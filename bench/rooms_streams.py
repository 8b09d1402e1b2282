"""What a benchmark bot sends and receives, counted without decoding anything.

A bot's camera and microphone are a clip already encoded (VP8 and Opus), sent as it is:
encoding in each bot would take the processor the servers are measured on. What a bot
receives is counted where aiortc would decode it: a ``Counting`` registers on the
connection's transport in place of aiortc's receiver, as the box's own forwarding does
(appliance/services/rooms/streams.py), and notes each packet inside the measured window.

Both servers pass the payload on untouched and rewrite headers only, so a packet is
recognised on the way out by the end of its payload: the time it was sent and the times
it was received give the delay through the server.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from aiortc import RTCPeerConnection, RTCRtpTransceiver
from aiortc.codecs import is_rtx
from aiortc.rtcrtpparameters import RTCRtpReceiveParameters
from aiortc.rtp import RtpPacket, is_rtcp

# The end of a payload names its packet: encoded video and sound do not repeat.
_MARK = 24


def mark(payload: bytes) -> str:
    return payload[-_MARK:].hex() + f":{len(payload)}"


@dataclass
class Window:
    """The seconds (wall clock) during which packets are counted."""

    start: float
    end: float

    def holds(self, moment: float) -> bool:
        return self.start <= moment < self.end


@dataclass
class StreamCount:
    """One stream a bot receives: its packets and sequence numbers inside the window."""

    kind: str
    packets: int = 0
    first_sequence: int | None = None
    highest: int | None = None
    first_packet_at: float | None = None

    def add(self, sequence: int) -> None:
        if self.first_sequence is None:
            self.first_sequence = self.highest = sequence
        else:
            # Sequence numbers wrap at 65,536: unwrap against the highest so far.
            step = (sequence - self.highest) & 0xFFFF
            if step < 0x8000:
                self.highest += step
        self.packets += 1

    def expected(self) -> int:
        if self.first_sequence is None:
            return 0
        return self.highest - self.first_sequence + 1


@dataclass
class Tally:
    """Everything one bot process saw: per stream counts, packets sent, when received."""

    window: Window
    streams: dict[str, StreamCount] = field(default_factory=dict)
    sent: dict[str, float] = field(default_factory=dict)
    received: list[tuple[str, float, str]] = field(default_factory=list)
    # When each bot asked to receive the others, and got its first packet of them.
    joining: dict[str, float] = field(default_factory=dict)
    first_media: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "streams": {
                name: {"kind": s.kind, "packets": s.packets, "expected": s.expected()}
                for name, s in self.streams.items()
            },
            "sent": self.sent,
            "received": self.received,
            "joining": self.joining,
            "first_media": self.first_media,
        }


class Counting:
    """Stands where aiortc's receiver would, for one transceiver: counts, decodes nothing."""

    def __init__(self, tally: Tally, bot: str, kind: str, transport: Any) -> None:
        self.tally = tally
        self.bot = bot
        self.kind = kind
        self.transport = transport
        self._media: set[int] = set()

    def start(self, parameters: RTCRtpReceiveParameters) -> None:
        self._media = {c.payloadType for c in parameters.codecs if not is_rtx(c)}
        self.transport._register_rtp_receiver(self, parameters)

    async def _handle_rtp_packet(self, packet: RtpPacket, arrival_time_ms: int) -> None:
        if packet.payload_type not in self._media:
            return
        now = time.time()
        self.tally.first_media.setdefault(self.bot, now)
        if not self.tally.window.holds(now):
            return
        name = f"{self.bot}/{packet.ssrc}"
        stream = self.tally.streams.setdefault(name, StreamCount(self.kind))
        stream.add(packet.sequence_number)
        self.tally.received.append((mark(packet.payload), now, self.kind))

    async def _handle_rtcp_packet(self, packet: Any) -> None:
        return None


def count_instead_of_decoding(transceiver: RTCRtpTransceiver, tally: Tally, bot: str) -> None:
    """Put a Counting in place of the transceiver's receiver before the connection starts."""
    counting = Counting(tally, bot, transceiver.kind, transceiver.receiver.transport)

    async def receive(parameters: RTCRtpReceiveParameters) -> None:
        counting.start(parameters)

    transceiver.receiver.receive = receive  # type: ignore[method-assign]


def note_what_is_sent(connection: RTCPeerConnection, tally: Tally) -> None:
    """Note when each media packet of this connection leaves, inside the window."""
    transports = {t.sender.transport for t in connection.getTransceivers()}
    for transport in transports:
        send = transport._send_rtp

        async def noting(data: bytes, send: Any = send) -> None:
            if not is_rtcp(data):
                now = time.time()
                if tally.window.holds(now):
                    tally.sent[mark(RtpPacket.parse(data).payload)] = now
            await send(data)

        transport._send_rtp = noting  # type: ignore[method-assign]
