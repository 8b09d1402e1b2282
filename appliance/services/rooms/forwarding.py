"""Forwarding encoded media between the people of a room: packets in, the same payloads out.

The box never decodes. Each person's audio and video reach it as RTP packets and leave
again, to each of the others, with the payload untouched: only the header changes, to
the identity the stream has on that viewer's connection (its SSRC and payload type),
with sequence numbers and timestamps kept continuous when the place passes from one
person to another. A viewer's decoder can start only on a key frame, so a place that
starts following someone asks that person's browser for one and forwards nothing of the
video until it comes.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from aiortc.rtp import RtpPacket

VIDEO = "video"
AUDIO = "audio"
CLOCK_RATES = {AUDIO: 48000, VIDEO: 90000}
# Packets kept per outgoing stream to answer a viewer's NACK: about 2 s of video at
# 500 kbit/s (60 packets a second), 2.5 s of audio, where a NACK on the building's
# network comes within tens of milliseconds. Kept per viewer, so it is most of the
# process's memory in a full room (docs/PERFORMANCE.md, "Video rooms").
HISTORY = 128
# One key frame is enough for everyone who joins within this time.
KEY_FRAME_INTERVAL = 0.3


def is_vp8_key_frame_start(payload: bytes) -> bool:
    """Whether a VP8 RTP payload (RFC 7741) starts a key frame."""
    if not payload:
        return False
    first = payload[0]
    if not first & 0x10 or first & 0x07:  # not the start of partition 0
        return False
    index = 1
    if first & 0x80:  # extended control bits
        if len(payload) < 2:
            return False
        extension = payload[1]
        index = 2
        if extension & 0x80:  # picture id, one or two bytes
            if len(payload) <= index:
                return False
            index += 2 if payload[index] & 0x80 else 1
        if extension & 0x40:  # TL0PICIDX
            index += 1
        if extension & 0x30:  # TID / KEYIDX
            index += 1
    # The VP8 frame header: the P bit is 0 on a key frame.
    return index < len(payload) and not payload[index] & 0x01


class Outlet:
    """One stream as one viewer receives it: who it follows now and how it is numbered."""

    def __init__(self, kind: str, ssrc: int, payload_type: int) -> None:
        self.kind = kind
        self.ssrc = ssrc
        self.payload_type = payload_type
        self.clock_rate = CLOCK_RATES[kind]
        self.source: Source | None = None
        self.history: dict[int, RtpPacket] = {}
        self.packets = 0
        self.octets = 0
        self.paused = False
        self._waiting_for_key_frame = kind == VIDEO
        self._rebase = True
        self._sequence_offset = 0
        self._timestamp_offset = 0
        self._last_sequence: int | None = None
        self._last_timestamp = 0
        self._last_time = 0.0

    def follow(self, source: Source | None) -> None:
        """Carry another person's stream from now on (None: carry nothing)."""
        self.source = source
        self._rebase = True
        self._waiting_for_key_frame = self.kind == VIDEO

    @property
    def waiting_for_key_frame(self) -> bool:
        """Whether this viewer's video is held until a key frame comes."""
        return self._waiting_for_key_frame and not self.paused and self.source is not None

    def pause(self) -> None:
        """Stop forwarding video, as when the box runs short."""
        self.paused = True

    def resume(self) -> None:
        """Forward again from the next key frame."""
        if self.paused:
            self.paused = False
            self._waiting_for_key_frame = self.kind == VIDEO
            if self.source is not None:
                self.source.ask_key_frame()

    def rewrite(self, packet: RtpPacket, now: float | None = None) -> RtpPacket | None:
        """The packet as this viewer receives it, or None while it must not see it."""
        if self.paused:
            return None
        if self._waiting_for_key_frame:
            if not is_vp8_key_frame_start(packet.payload):
                return None
            self._waiting_for_key_frame = False
        now = time.monotonic() if now is None else now
        if self._rebase:
            self._rebase = False
            if self._last_sequence is None:
                self._sequence_offset = 0
                self._timestamp_offset = 0
            else:
                # The new person's first packet follows the last one sent, as if one
                # stream went on: a viewer's jitter buffer sees no jump back or forward.
                self._sequence_offset = (self._last_sequence + 1 - packet.sequence_number) & 0xFFFF
                elapsed = max(1, int((now - self._last_time) * self.clock_rate))
                self._timestamp_offset = (
                    self._last_timestamp + elapsed - packet.timestamp
                ) & 0xFFFFFFFF
        out = RtpPacket(
            payload_type=self.payload_type,
            marker=packet.marker,
            sequence_number=(packet.sequence_number + self._sequence_offset) & 0xFFFF,
            timestamp=(packet.timestamp + self._timestamp_offset) & 0xFFFFFFFF,
            ssrc=self.ssrc,
            payload=packet.payload,
        )
        out.extensions.audio_level = packet.extensions.audio_level
        if self._last_sequence is None or _newer(out.sequence_number, self._last_sequence):
            self._last_sequence = out.sequence_number
            self._last_timestamp = out.timestamp
            self._last_time = now
        self.history[out.sequence_number % HISTORY] = out
        self.packets += 1
        self.octets += len(out.payload)
        return out

    def kept(self, sequence_number: int) -> RtpPacket | None:
        """A packet sent lately, to send again when the viewer says it was lost."""
        packet = self.history.get(sequence_number % HISTORY)
        if packet is not None and packet.sequence_number == sequence_number:
            return packet
        return None

    def timestamp_of(self, source_timestamp: int) -> int:
        """A timestamp of the followed person's stream, as this viewer's stream counts."""
        return (source_timestamp + self._timestamp_offset) & 0xFFFFFFFF


class Source:
    """One person's audio or video as it reaches the box, and the outlets that carry it."""

    def __init__(self, kind: str, ask_key_frame: Callable[[], None]) -> None:
        self.kind = kind
        self.outlets: list[Outlet] = []
        self._ask_key_frame = ask_key_frame
        self._last_asked = float("-inf")

    def attach(self, outlet: Outlet) -> None:
        """Carry this stream to one more viewer; a video asks its sender for a key frame."""
        outlet.follow(self)
        self.outlets.append(outlet)
        if self.kind == VIDEO:
            self.ask_key_frame()

    def detach(self, outlet: Outlet) -> None:
        if outlet in self.outlets:
            self.outlets.remove(outlet)
        if outlet.source is self:
            outlet.follow(None)

    def ask_key_frame(self, now: float | None = None) -> bool:
        """Ask the sender for a key frame, unless one was asked for an instant ago."""
        now = time.monotonic() if now is None else now
        if now - self._last_asked < KEY_FRAME_INTERVAL:
            return False
        self._last_asked = now
        self._ask_key_frame()
        return True

    def ask_again_if_waiting(self) -> bool:
        """Ask once more when a viewer still waits for a key frame: a request may be lost,
        or fall within the interval of an earlier one whose key frame came too soon."""
        if any(outlet.waiting_for_key_frame for outlet in self.outlets):
            return self.ask_key_frame()
        return False

    def forward(self, packet: RtpPacket) -> list[tuple[Outlet, RtpPacket]]:
        """The packet as each viewer receives it, leaving out those who must not see it."""
        now = time.monotonic()
        out = []
        for outlet in self.outlets:
            rewritten = outlet.rewrite(packet, now)
            if rewritten is not None:
                out.append((outlet, rewritten))
        return out


def _newer(sequence: int, than: int) -> bool:
    return sequence != than and ((sequence - than) & 0xFFFF) < 0x8000
