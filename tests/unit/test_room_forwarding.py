"""The forwarding of a video room: packets in, the same payloads out, never decoded."""

from aiortc.rtp import RtpPacket

from appliance.services.rooms.forwarding import (
    AUDIO,
    KEY_FRAME_INTERVAL,
    VIDEO,
    Outlet,
    Source,
    is_vp8_key_frame_start,
)

# VP8 payload descriptors (RFC 7741) followed by the first byte of a frame header.
KEY_FRAME = bytes([0x10, 0x00]) + b"key frame"  # S=1, PID=0; P bit 0: key frame
INTER_FRAME = bytes([0x10, 0x01]) + b"inter"  # P bit 1
MIDDLE = bytes([0x00]) + b"rest of a frame"  # not the start of a partition


class Sender:
    """A person's browser as the forwarding sees it: counts the key frames asked of it."""

    def __init__(self) -> None:
        self.key_frames_asked = 0

    def ask(self) -> None:
        self.key_frames_asked += 1


def packet(sequence: int, timestamp: int, payload: bytes, ssrc: int = 1111) -> RtpPacket:
    return RtpPacket(
        payload_type=111, sequence_number=sequence, timestamp=timestamp, ssrc=ssrc, payload=payload
    )


def test_each_viewer_gets_the_same_payloads_under_its_own_identity():
    source = Source(AUDIO, Sender().ask)
    first, second = Outlet(AUDIO, ssrc=2222, payload_type=109), Outlet(AUDIO, 3333, 96)
    source.attach(first)
    source.attach(second)
    payloads = [bytes([n]) * (20 + n) for n in range(5)]
    received = {first: [], second: []}
    for n, payload in enumerate(payloads):
        for outlet, out in source.forward(packet(6000 + n, 960 * n, payload)):
            received[outlet].append(out)
    for outlet, ssrc, payload_type in ((first, 2222, 109), (second, 3333, 96)):
        packets = received[outlet]
        assert [p.payload for p in packets] == payloads
        assert {p.ssrc for p in packets} == {ssrc}
        assert {p.payload_type for p in packets} == {payload_type}
        assert [p.sequence_number for p in packets] == [6000, 6001, 6002, 6003, 6004]
        assert [p.timestamp for p in packets] == [0, 960, 1920, 2880, 3840]


def test_a_video_viewer_asks_for_a_key_frame_and_waits_for_it():
    sender = Sender()
    source = Source(VIDEO, sender.ask)
    viewer = Outlet(VIDEO, ssrc=2222, payload_type=96)
    source.attach(viewer)
    assert sender.key_frames_asked == 1
    assert source.forward(packet(10, 3000, INTER_FRAME)) == []
    assert source.forward(packet(11, 3000, MIDDLE)) == []
    forwarded = [out.payload for _, out in source.forward(packet(12, 6000, KEY_FRAME))]
    forwarded += [out.payload for _, out in source.forward(packet(13, 6000, MIDDLE))]
    forwarded += [out.payload for _, out in source.forward(packet(14, 9000, INTER_FRAME))]
    assert forwarded == [KEY_FRAME, MIDDLE, INTER_FRAME]


def test_one_key_frame_serves_everyone_who_joins_at_once():
    sender = Sender()
    source = Source(VIDEO, sender.ask)
    for number in range(3):
        source.attach(Outlet(VIDEO, ssrc=100 + number, payload_type=96))
    assert sender.key_frames_asked == 1
    assert source.ask_key_frame(now=10**9) is True
    assert source.ask_key_frame(now=10**9 + KEY_FRAME_INTERVAL / 2) is False
    assert sender.key_frames_asked == 2


def test_a_viewer_who_joins_just_after_a_key_frame_is_not_left_waiting():
    sender = Sender()
    source = Source(VIDEO, sender.ask)
    first = Outlet(VIDEO, ssrc=100, payload_type=96)
    source.attach(first)
    assert len(source.forward(packet(1, 0, KEY_FRAME))) == 1
    # The second comes within the interval: no request then, the key frame has passed.
    second = Outlet(VIDEO, ssrc=200, payload_type=96)
    source.attach(second)
    assert sender.key_frames_asked == 1
    assert second.waiting_for_key_frame
    source._last_asked = float("-inf")  # the interval is over at the next report
    assert source.ask_again_if_waiting() is True
    assert sender.key_frames_asked == 2
    assert [o for o, _ in source.forward(packet(2, 3000, KEY_FRAME))] == [first, second]
    assert source.ask_again_if_waiting() is False


def test_a_place_passing_to_someone_else_goes_on_counting():
    viewer = Outlet(AUDIO, ssrc=2222, payload_type=111)
    first, second = Source(AUDIO, Sender().ask), Source(AUDIO, Sender().ask)
    first.attach(viewer)
    before = [out for _, out in first.forward(packet(100, 50_000, b"a"))]
    before += [out for _, out in first.forward(packet(101, 50_960, b"b"))]
    first.detach(viewer)
    assert first.forward(packet(102, 51_920, b"c")) == []
    second.attach(viewer)
    after = [out for _, out in second.forward(packet(40_000, 7, b"d", ssrc=9999))]
    assert [p.sequence_number for p in before + after] == [100, 101, 102]
    assert after[0].timestamp > before[-1].timestamp
    assert after[0].payload == b"d"


def test_numbers_wrap_around_as_rtp_counts():
    viewer = Outlet(AUDIO, ssrc=2222, payload_type=111)
    first, second = Source(AUDIO, Sender().ask), Source(AUDIO, Sender().ask)
    first.attach(viewer)
    first.forward(packet(0xFFFF, 0xFFFFFF00, b"a"))
    first.detach(viewer)
    second.attach(viewer)
    [(_, out)] = second.forward(packet(500, 10, b"b"))
    assert out.sequence_number == 0
    assert 0 <= out.timestamp < 0xFFFFFFFF


def test_video_paused_when_the_box_runs_short_comes_back_on_a_key_frame():
    sender = Sender()
    source = Source(VIDEO, sender.ask)
    viewer = Outlet(VIDEO, ssrc=2222, payload_type=96)
    source.attach(viewer)
    assert len(source.forward(packet(1, 0, KEY_FRAME))) == 1
    viewer.pause()
    assert source.forward(packet(2, 3000, INTER_FRAME)) == []
    asked = sender.key_frames_asked
    source._last_asked = float("-inf")  # long after the first request
    viewer.resume()
    assert sender.key_frames_asked == asked + 1
    assert source.forward(packet(3, 6000, INTER_FRAME)) == []
    assert len(source.forward(packet(4, 9000, KEY_FRAME))) == 1


def test_a_lost_packet_is_found_again_for_the_viewer_who_asks():
    viewer = Outlet(AUDIO, ssrc=2222, payload_type=111)
    source = Source(AUDIO, Sender().ask)
    source.attach(viewer)
    for n in range(10):
        source.forward(packet(300 + n, 960 * n, bytes([n])))
    kept = viewer.kept(305)
    assert kept is not None and kept.payload == bytes([5]) and kept.ssrc == 2222
    assert viewer.kept(299) is None


def test_vp8_key_frames_are_recognised_with_every_kind_of_descriptor():
    # X=1 with a two-byte picture id (M=1), TL0PICIDX and TID: key frame, then not.
    extended = bytes([0x90, 0xE0, 0x80 | 0x12, 0x34, 0x05, 0x20])
    assert is_vp8_key_frame_start(extended + bytes([0x00]))
    assert not is_vp8_key_frame_start(extended + bytes([0x01]))
    # A one-byte picture id.
    assert is_vp8_key_frame_start(bytes([0x90, 0x80, 0x12, 0x00]))
    # Not the first partition, not a start, empty or cut short.
    assert not is_vp8_key_frame_start(bytes([0x11, 0x00]))
    assert not is_vp8_key_frame_start(MIDDLE)
    assert not is_vp8_key_frame_start(b"")
    assert not is_vp8_key_frame_start(bytes([0x90, 0x80]))
