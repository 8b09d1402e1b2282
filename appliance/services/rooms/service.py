"""The rooms process: the WebSocket door on a Unix socket beside the web service's.

The front server passes ``/live/rooms/`` to ``<run folder>/rooms.sock``; media flows
between the pages and this process over UDP on the building's network (ICE, DTLS-SRTP).
Under systemd it says when it listens and pings the watchdog from its event loop, so a
loop stuck anywhere stops the pings and systemd starts it again; pages come back in on
their own (webui/static/room.js).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any, NoReturn

from websockets.asyncio.server import unix_serve

from appliance.services.rooms import shortage
from appliance.services.rooms.hall import MAX_MESSAGE, Hall, Limits
from appliance.systemd_notify import SystemdNotifier
from core.domain import room_presence
from core.secrets import ensure_secrets

log = logging.getLogger("residacoeur.rooms")

# A page that stops answering WebSocket pings for this long has gone.
PING_SECONDS = 20


def become_rooms(settings: dict[str, Any]) -> NoReturn:
    """Replace this process (same id, signals and parent) with the rooms process alone,
    without the command line's imports (the domain, SQLAlchemy, pydantic) it never uses."""
    sys.stdout.flush()
    sys.stderr.flush()
    arguments = [json.dumps(settings)]
    os.execv(sys.executable, [sys.executable, "-m", "appliance.services.rooms", *arguments])


def serve(settings: dict[str, Any]) -> None:
    """Run until SIGTERM or SIGINT, then send everyone away cleanly."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # aiortc and aioice log every connection's states at INFO: not what an operator needs.
    for name in ("aiortc", "aioice"):
        logging.getLogger(name).setLevel(logging.WARNING)
    asyncio.run(_until_signalled(settings))


async def _until_signalled(settings: dict[str, Any]) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    key = ensure_secrets(settings["data_dir"])["rooms_key"]
    hall = Hall(key, Limits(**settings["limits"]), settings["data_dir"])
    # Nobody is in a room yet, whatever an earlier process left written.
    hall.write_presence()
    socket = Path(settings["socket"])
    notifier = SystemdNotifier.from_environment()
    async with unix_serve(
        hall.handle,
        str(socket),
        max_size=MAX_MESSAGE,
        ping_interval=PING_SECONDS,
        ping_timeout=PING_SECONDS,
    ):
        # The front server runs as the same user: nobody else may speak on the socket.
        socket.chmod(0o600)
        log.info("rooms listening on %s", socket)
        notifier.ready()
        pings = asyncio.ensure_future(_ping(notifier))
        refreshes = asyncio.ensure_future(_refresh(hall))
        watching = asyncio.ensure_future(shortage.watch(hall.pause_video, hall.resume_video))
        await stop.wait()
        for task in (pings, refreshes, watching):
            task.cancel()
        await hall.close()
    hall.rooms.clear()
    hall.write_presence()


async def _refresh(hall: Hall) -> None:
    """Write who is in the rooms now and then, so that the file's age says the process
    still runs."""
    while True:
        await asyncio.sleep(room_presence.REFRESH_SECONDS)
        hall.write_presence()


async def _ping(notifier: SystemdNotifier) -> None:
    """Ping from the event loop itself: a loop stuck anywhere stops the pings."""
    every = notifier.ping_every_s
    if every is None:
        return
    while True:
        notifier.alive()
        await asyncio.sleep(every / 2)
