"""The forwarding plugged into aiortc's transport, in place of its receivers and senders.

aiortc's RTCRtpReceiver decodes every frame it gets and its RTCRtpSender encodes every
frame it sends: right for a bot, ruinous for a box that only passes media on. aiortc
still does what it is good at — ICE, DTLS, SRTP, the SDP offer and answer, and routing
each packet of a connection to whoever registered for its SSRC — and these two classes
register there instead: an IncomingStream for what a person sends, an OutgoingStream for
each stream a person receives. They keep the RTCP duties of a receiver and a sender:
reception reports and NACKs towards the sender (aiortc's own statistics and NACK
bookkeeping), the video bitrate cap as REMB, key-frame requests passed from viewers to
the sender, packets sent again from a short history, and sender reports mapped onto each
viewer's timestamps so that sound and picture stay in step.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from aiortc.codecs import is_rtx
from aiortc.rtcdtlstransport import RTCDtlsTransport
from aiortc.rtcrtpparameters import RTCRtpReceiveParameters, RTCRtpSendParameters
from aiortc.rtcrtpreceiver import NackGenerator, StreamStatistics
from aiortc.rtp import (
    RTCP_PSFB_APP,
    RTCP_PSFB_FIR,
    RTCP_PSFB_PLI,
    RTCP_RTPFB_NACK,
    RtcpPsfbPacket,
    RtcpReceiverInfo,
    RtcpRrPacket,
    RtcpRtpfbPacket,
    RtcpSenderInfo,
    RtcpSrPacket,
    RtpPacket,
    pack_remb_fci,
    unwrap_rtx,
    wrap_rtx,
)

from appliance.services.rooms.forwarding import VIDEO, Outlet, Source


class IncomingStream:
    """What one person sends of one kind (audio or video), as their connection gets it."""

    def __init__(
        self, kind: str, transport: RTCDtlsTransport, rtcp_ssrc: int, video_bitrate: int
    ) -> None:
        self.kind = kind
        self.transport = transport
        self.rtcp_ssrc = rtcp_ssrc
        self.video_bitrate = video_bitrate
        self.source = Source(kind, self._want_key_frame)
        self.media_ssrc: int | None = None
        self.packets = 0
        self._codecs: dict[int, Any] = {}
        self._rtx: dict[int, int] = {}
        self._statistics: StreamStatistics | None = None
        self._nacks = NackGenerator() if kind == VIDEO else None
        self._last_report: tuple[int, float] | None = None
        self._requests: set[asyncio.Future[None]] = set()

    def start(self, parameters: RTCRtpReceiveParameters) -> None:
        """Receive what the negotiation agreed, on the connection's transport."""
        self._codecs = {codec.payloadType: codec for codec in parameters.codecs}
        self._rtx = {
            encoding.rtx.ssrc: encoding.ssrc for encoding in parameters.encodings if encoding.rtx
        }
        self.media_ssrc = next((encoding.ssrc for encoding in parameters.encodings), None)
        self.transport._register_rtp_receiver(self, parameters)

    def stop(self) -> None:
        self.transport._unregister_rtp_receiver(self)

    async def _handle_rtp_packet(self, packet: RtpPacket, arrival_time_ms: int) -> None:
        codec = self._codecs.get(packet.payload_type)
        if codec is None:
            return
        if is_rtx(codec):
            original = self._rtx.get(packet.ssrc, self.media_ssrc)
            apt = codec.parameters.get("apt")
            if original is None or apt not in self._codecs or len(packet.payload) < 2:
                return
            packet = unwrap_rtx(packet, payload_type=apt, ssrc=original)
        else:
            if self.media_ssrc != packet.ssrc or self._statistics is None:
                self.media_ssrc = packet.ssrc
                self._statistics = StreamStatistics(codec.clockRate)
            self._statistics.add(packet)
        self.packets += 1
        if self._nacks is not None and self._nacks.add(packet):
            await self._send_rtcp(self._nack(sorted(self._nacks.missing)))
        for outlet, out in self.source.forward(packet):
            await outlet.send(out)

    async def _handle_rtcp_packet(self, packet: Any) -> None:
        if isinstance(packet, RtcpSrPacket) and packet.ssrc == self.media_ssrc:
            info = packet.sender_info
            self._last_report = ((info.ntp_timestamp >> 16) & 0xFFFFFFFF, time.time())
            for outlet in list(self.source.outlets):
                await outlet.report(info.ntp_timestamp, info.rtp_timestamp)

    def _want_key_frame(self) -> None:
        if self.media_ssrc is None:
            return
        request = RtcpPsfbPacket(fmt=RTCP_PSFB_PLI, ssrc=self.rtcp_ssrc, media_ssrc=self.media_ssrc)
        task = asyncio.ensure_future(self._send_rtcp(request))
        # The loop keeps only a weak reference to a task: this one must not vanish unsent.
        self._requests.add(task)
        task.add_done_callback(self._requests.discard)

    async def report(self) -> None:
        """The periodic reception report, for video the bitrate cap (REMB), and a new
        key-frame request while a viewer still waits for one."""
        if self._statistics is None or self.media_ssrc is None:
            return
        if self.kind == VIDEO:
            self.source.ask_again_if_waiting()
        lsr = dlsr = 0
        if self._last_report is not None:
            lsr, at = self._last_report
            delay = time.time() - at
            if 0 < delay < 65536:
                dlsr = int(delay * 65536)
        statistics = self._statistics
        await self._send_rtcp(
            RtcpRrPacket(
                ssrc=self.rtcp_ssrc,
                reports=[
                    RtcpReceiverInfo(
                        ssrc=self.media_ssrc,
                        fraction_lost=statistics.fraction_lost,
                        packets_lost=statistics.packets_lost,
                        highest_sequence=statistics.max_seq,
                        jitter=statistics.jitter,
                        lsr=lsr,
                        dlsr=dlsr,
                    )
                ],
            )
        )
        if self.kind == VIDEO:
            await self._send_rtcp(
                RtcpPsfbPacket(
                    fmt=RTCP_PSFB_APP,
                    ssrc=self.rtcp_ssrc,
                    media_ssrc=0,
                    fci=pack_remb_fci(self.video_bitrate, [self.media_ssrc]),
                )
            )

    def _nack(self, lost: list[int]) -> RtcpRtpfbPacket:
        packet = RtcpRtpfbPacket(
            fmt=RTCP_RTPFB_NACK, ssrc=self.rtcp_ssrc, media_ssrc=self.media_ssrc or 0
        )
        packet.lost = lost
        return packet

    async def _send_rtcp(self, packet: Any) -> None:
        await _send(self.transport, bytes(packet))


class OutgoingStream(Outlet):
    """One stream one person receives, on their connection: another person's, or nothing."""

    def __init__(self, kind: str, transport: RTCDtlsTransport, ssrc: int, rtx_ssrc: int) -> None:
        super().__init__(kind, ssrc, payload_type=0)
        self.transport = transport
        self._ssrc = ssrc  # what aiortc's router reads to route a viewer's RTCP here
        self.rtx_ssrc = rtx_ssrc
        self.mid: str | None = None
        self.started = False
        self._rtx_payload_type: int | None = None
        self._rtx_sequence = 0

    def start(self, parameters: RTCRtpSendParameters) -> None:
        """Send with what the negotiation agreed, on the connection's transport."""
        main = parameters.codecs[0]
        self.payload_type = main.payloadType
        self.mid = parameters.muxId
        self._rtx_payload_type = next(
            (
                codec.payloadType
                for codec in parameters.codecs
                if is_rtx(codec) and codec.parameters.get("apt") == main.payloadType
            ),
            None,
        )
        self.transport._register_rtp_sender(self, parameters)
        self.started = True

    def stop(self) -> None:
        if self.source is not None:
            self.source.detach(self)
        self.transport._unregister_rtp_sender(self)

    async def send(self, packet: RtpPacket) -> None:
        if not self.started:
            return
        packet.extensions.abs_send_time = (_ntp_now() >> 14) & 0x00FFFFFF
        packet.extensions.mid = self.mid
        await _send(self.transport, packet.serialize(self.transport._rtp_header_extensions_map))

    async def report(self, ntp_timestamp: int, source_rtp_timestamp: int) -> None:
        """A sender report for this viewer, from the sender's own (for lip sync)."""
        if not self.started or not self.packets:
            return
        info = RtcpSenderInfo(
            ntp_timestamp=ntp_timestamp,
            rtp_timestamp=self.timestamp_of(source_rtp_timestamp),
            packet_count=self.packets & 0xFFFFFFFF,
            octet_count=self.octets & 0xFFFFFFFF,
        )
        await _send(self.transport, bytes(RtcpSrPacket(ssrc=self.ssrc, sender_info=info)))

    async def _handle_rtcp_packet(self, packet: Any) -> None:
        if isinstance(packet, RtcpRtpfbPacket) and packet.fmt == RTCP_RTPFB_NACK:
            for sequence_number in packet.lost:
                await self._send_again(sequence_number)
        elif (
            isinstance(packet, RtcpPsfbPacket)
            and packet.fmt in (RTCP_PSFB_PLI, RTCP_PSFB_FIR)
            and self.source is not None
        ):
            self.source.ask_key_frame()

    async def _send_again(self, sequence_number: int) -> None:
        packet = self.kept(sequence_number)
        if packet is None:
            return
        if self._rtx_payload_type is not None:
            packet = wrap_rtx(
                packet,
                payload_type=self._rtx_payload_type,
                sequence_number=self._rtx_sequence,
                ssrc=self.rtx_ssrc,
            )
            self._rtx_sequence = (self._rtx_sequence + 1) & 0xFFFF
        await _send(self.transport, packet.serialize(self.transport._rtp_header_extensions_map))


async def _send(transport: RTCDtlsTransport, data: bytes) -> None:
    # ConnectionError: the person has gone; their connection's closing takes the
    # streams away.
    with contextlib.suppress(ConnectionError):
        await transport._send_rtp(data)


def _ntp_now() -> int:
    # Seconds since 1900 in 32.32 fixed point, as RTP's abs-send-time counts.
    now = time.time() + 2208988800
    return int(now * (1 << 32))
