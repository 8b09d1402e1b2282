"""Benchmark of the video rooms (not a test): the box's forwarding beside Janus's VideoRoom.

``bench/rooms.sh`` (``--sizes 3 4 6 8 --seconds 20 --rounds 1``). For each room size,
the box's rooms process (``residacoeur box rooms``) and Janus 1.1 (Debian's ``janus``,
VideoRoom plugin) take turns holding one room of that many bots
(bench/rooms_bots.py): every bot sends a clip of its own (VP8 640×480 at about 500 kbit/s
and Opus, made here with ffmpeg, a key frame each second) and receives everyone else's.
Counted during a window once everybody is in: the streams forwarded (one person's sound
or picture to one other), the packets lost on the way (sequence numbers, no
retransmission), the server's processor time and memory, the time from asking to
receive the others (the box: the ticket shown; Janus: the subscription) to the first
packet of another, and the delay from a bot's sending to another's receiving
(p50/p99). Figures go to docs/PERFORMANCE.md; raw results to bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect

from bench.machine import machine, source_version
from bench.rooms_bots import JANUS_ROOM, Janus
from tests.support.rooms_process import RoomsProcess

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
JANUS_LIBRARIES = Path("/usr/lib/x86_64-linux-gnu/janus")
# Bots are spread over this many processes, as people over their phones.
BOT_PROCESSES = 2
# Time given to everyone to enter, then to settle (a key frame reaches every viewer).
JOIN_SECONDS = 10
SETTLE_SECONDS = 4
BITRATE = 500_000


def make_clip(seconds: int, index: int) -> Path:
    """One bot's camera and microphone: a test pattern in its own colours and a noise of
    its own, encoded once. Each bot's packets differ from every other's, so that a
    packet received is told apart from the same moment of another bot's clip."""
    clip = RESULTS / f"rooms-clip-{seconds}s-{index}.webm"
    if clip.exists():
        return clip
    RESULTS.mkdir(exist_ok=True)
    subprocess.run(
        [
            "ffmpeg", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc2=size=640x480:rate=30,hue=h={index * 37}",
            "-f", "lavfi", "-i", f"anoisesrc=color=pink:seed={index + 1}:sample_rate=48000",
            "-t", str(seconds),
            "-c:v", "libvpx", "-b:v", str(BITRATE), "-g", "30", "-deadline", "realtime",
            "-c:a", "libopus", "-b:a", "32k",
            str(clip),
        ],
        check=True,
    )  # fmt: skip
    return clip


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _resident_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class BoxServer:
    name = "box"

    def __init__(self, people: int) -> None:
        self.data_dir = Path(tempfile.mkdtemp(prefix="rooms-bench-"))
        seats = str(max(people, 8))
        self.rooms = RoomsProcess(self.data_dir, room_seats=seats)
        self.pid = self.rooms.process.pid

    def plan(self) -> dict[str, Any]:
        return {"socket": str(self.rooms.socket), "rooms_key": self.rooms.key}

    def stop(self) -> None:
        self.rooms.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)


class JanusServer:
    name = "janus"

    def __init__(self, people: int) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="janus-bench-"))
        self.port = _free_port()
        _write_janus_configuration(self.folder, self.port)
        self.log = (self.folder / "janus.log").open("wb")
        self.process = subprocess.Popen(
            ["janus", "-F", str(self.folder), "-C", str(self.folder / "janus.jcfg")],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.pid = self.process.pid
        self.url = f"ws://127.0.0.1:{self.port}/"
        asyncio.run(self._create_room(people))

    async def _create_room(self, people: int) -> None:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket = await connect(self.url, subprotocols=["janus-protocol"])
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError((self.folder / "janus.log").read_text()) from None
                await asyncio.sleep(0.2)
        async with socket:
            janus = Janus(socket)
            await janus.start()
            handle = await janus.attach()
            await janus.message(
                handle,
                {
                    "request": "create",
                    "room": JANUS_ROOM,
                    "publishers": people,
                    "bitrate": BITRATE,
                    "audiocodec": "opus",
                    "videocodec": "vp8",
                },
            )
            janus.close()

    def plan(self) -> dict[str, Any]:
        return {"janus_url": self.url}

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(15)
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _write_janus_configuration(folder: Path, port: int) -> None:
    plugins = sorted(
        p.name for p in (JANUS_LIBRARIES / "plugins").glob("*.so") if "videoroom" not in p.name
    )
    transports = sorted(
        p.name for p in (JANUS_LIBRARIES / "transports").glob("*.so") if "websockets" not in p.name
    )
    (folder / "janus.jcfg").write_text(
        f"""general: {{
    configs_folder = "{folder}"
    plugins_folder = "{JANUS_LIBRARIES / "plugins"}"
    transports_folder = "{JANUS_LIBRARIES / "transports"}"
    events_folder = "{JANUS_LIBRARIES / "events"}"
    loggers_folder = "{JANUS_LIBRARIES / "loggers"}"
    debug_level = 3
    session_timeout = 60
}}
media: {{
    rtp_port_range = "20000-40000"
}}
nat: {{
    ice_ignore_list = "vmnet"
}}
plugins: {{
    disable = "{",".join(plugins)}"
}}
transports: {{
    disable = "{",".join(transports)}"
}}
events: {{
    broadcast = false
}}
loggers: {{
    disable = "libjanus_jsonlog.so"
}}
"""
    )
    (folder / "janus.transport.websockets.jcfg").write_text(
        f"""general: {{
    json = "indented"
    ws = true
    ws_port = {port}
    ws_ip = "127.0.0.1"
    wss = false
}}
admin: {{
    admin_ws = false
    admin_wss = false
}}
"""
    )
    (folder / "janus.plugin.videoroom.jcfg").write_text("general: {\n}\n")


def run_one(server_kind: str, people: int, seconds: int, clips: list[Path]) -> dict[str, Any]:
    """One room of ``people`` bots on one server; what was counted."""
    server = BoxServer(people) if server_kind == "box" else JanusServer(people)
    idle_mib = _resident_mib(server.pid)
    window_start = time.time() + JOIN_SECONDS + SETTLE_SECONDS
    window = [window_start, window_start + seconds]
    names = [f"bot{n}" for n in range(people)]
    folder = Path(tempfile.mkdtemp(prefix="rooms-bots-"))
    processes = []
    try:
        for index in range(BOT_PROCESSES):
            plan = {
                "server": server_kind,
                "clips": [str(clip) for clip in clips[:people]],
                "names": names[index::BOT_PROCESSES],
                "people": people,
                "window": window,
                "results": str(folder / f"bots-{index}.json"),
                **server.plan(),
            }
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "bench.rooms_bots", json.dumps(plan)], cwd=ROOT
                )
            )
        time.sleep(max(0.0, window[0] - time.time()))
        cpu_before = _cpu_seconds(server.pid)
        time.sleep(max(0.0, window[1] - time.time()))
        cpu = _cpu_seconds(server.pid) - cpu_before
        resident_mib = _resident_mib(server.pid)
        for process in processes:
            process.wait(60)
        bots = [json.loads(p.read_text()) for p in sorted(folder.glob("bots-*.json"))]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return _figures(server_kind, people, seconds, cpu, idle_mib, resident_mib, bots)


def _figures(
    server: str,
    people: int,
    seconds: int,
    cpu: float,
    idle_mib: float,
    resident_mib: float,
    bots: list[dict[str, Any]],
) -> dict[str, Any]:
    streams = [s for bot in bots for s in bot["streams"].values() if s["packets"]]
    sent = {mark: at for bot in bots for mark, at in bot["sent"].items()}
    delays = {
        kind: sorted(
            (at - sent[mark]) * 1000
            for bot in bots
            for mark, at, of in bot["received"]
            if of == kind and mark in sent and at >= sent[mark]
        )
        for kind in ("audio", "video")
    }
    joins = [
        bot["first_media"][name] - bot["joining"][name]
        for bot in bots
        for name in bot["joining"]
        if name in bot["first_media"]
    ]
    by_kind = {}
    for kind in ("audio", "video"):
        mine = [s for s in streams if s["kind"] == kind]
        received = sum(s["packets"] for s in mine)
        expected = sum(s["expected"] for s in mine)
        by_kind[kind] = {
            "streams": len(mine),
            "loss": 1 - received / expected if expected else None,
            "packets_per_second": received / seconds,
        }
    cores = cpu / seconds
    forwarded = len(streams)
    return {
        "server": server,
        "people": people,
        "streams_expected": people * (people - 1) * 2,
        "streams_forwarded": forwarded,
        "by_kind": by_kind,
        "server_cores": cores,
        "streams_per_core": forwarded / cores if cores else None,
        "cpu_ms_per_stream_second": cpu * 1000 / (forwarded * seconds) if forwarded else None,
        "resident_mib": resident_mib,
        "mib_per_stream": (resident_mib - idle_mib) / forwarded if forwarded else None,
        "join_seconds": {
            "median": statistics.median(joins) if joins else None,
            "max": max(joins) if joins else None,
            "bots_with_media": len(joins),
        },
        "delay_ms": {
            kind: {
                "p50": samples[len(samples) // 2] if samples else None,
                "p99": samples[int(len(samples) * 0.99)] if samples else None,
                "samples": len(samples),
            }
            for kind, samples in delays.items()
        },
        "failures": [f for bot in bots for f in bot["failures"]],
    }


def _row(figures: dict[str, Any]) -> str:
    def number(value: float | None, format_: str) -> str:
        return "—" if value is None else format(value, format_)

    delay = figures["delay_ms"]
    loss = max(
        (k["loss"] for k in figures["by_kind"].values() if k["loss"] is not None), default=None
    )
    return (
        f"| {figures['server']} | {figures['people']} "
        f"| {figures['streams_forwarded']}/{figures['streams_expected']} "
        f"| {number(loss and loss * 100, '.2f')} % "
        f"| {number(figures['server_cores'], '.2f')} "
        f"| {number(figures['streams_per_core'], '.0f')} "
        f"| {number(figures['cpu_ms_per_stream_second'], '.2f')} "
        f"| {number(figures['resident_mib'], '.0f')} "
        f"| {number(figures['join_seconds']['median'], '.2f')} "
        f"| {number(delay['audio']['p50'], '.1f')} / {number(delay['audio']['p99'], '.1f')} "
        f"| {number(delay['video']['p50'], '.1f')} / {number(delay['video']['p99'], '.1f')} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3, 4, 6, 8])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--servers", nargs="+", default=["box", "janus"])
    arguments = parser.parse_args()
    length = JOIN_SECONDS + SETTLE_SECONDS + arguments.seconds + 20
    clips = [make_clip(length, index) for index in range(max(arguments.sizes))]
    runs = []
    print(
        "| server | people | streams | loss (worst kind) | server cores | streams/core "
        "| CPU ms per stream-second | RSS MiB | join s (median) "
        "| audio delay ms p50 / p99 | video delay ms p50 / p99 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for _ in range(arguments.rounds):
        for people in arguments.sizes:
            for server in arguments.servers:
                figures = run_one(server, people, arguments.seconds, clips)
                runs.append(figures)
                print(_row(figures), flush=True)
                if figures["failures"]:
                    print(f"  failures: {figures['failures'][:3]}", flush=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    RESULTS.mkdir(exist_ok=True)
    output = RESULTS / f"rooms-{stamp}.json"
    output.write_text(
        json.dumps({"machine": machine(), "source": source_version(), "runs": runs}, indent=1),
        encoding="utf-8",
    )
    print(f"raw results: {output}")


if __name__ == "__main__":
    main()
