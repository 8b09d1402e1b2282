"""The media process: keeps the news, works notices and events read aloud in step with
what the portal shows (appliance/services/read_aloud/), away from the web service, so no
page ever waits for a voice.

Every few seconds it reads the estate's content version (bumped by the database on every
change a tenant page can show); when it changed, or an hour passed (news expire and
works end on their own), it runs a pass in a thread, leaving the event loop free. A pass
that fails is logged and tried again at the next change: the process never stops for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from sqlalchemy import Engine, select

from appliance.services.read_aloud.refresh import refresh_box
from core.domain.clock import utcnow
from core.storage.engine import make_engine
from core.storage.schema import content_version

log = logging.getLogger(__name__)

CHECK_EVERY_SECONDS = 5.0


def _version(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(content_version.c.version)).scalar_one()


def _speak(engine: Engine, config: dict[str, Any]) -> dict[str, Any]:
    with engine.connect() as connection:
        return refresh_box(connection, config)


async def run(
    config: dict[str, Any],
    stop: asyncio.Event,
    ready: Callable[[], None],
    alive: Callable[[], None],
) -> None:
    """Keep the readings in step until ``stop`` is set."""
    engine = make_engine(config["database_url"])
    done_for = None
    ready()
    try:
        while not stop.is_set():
            now = utcnow()
            try:
                moment = (await asyncio.to_thread(_version, engine), now.date(), now.hour)
                if moment != done_for:
                    done = await asyncio.to_thread(_speak, engine, config)
                    log.info(
                        "read aloud: %(readings)s readings, %(spoken)s spoken, "
                        "%(failed)s failed, %(forgotten)s forgotten",
                        done,
                    )
                    done_for = moment
            except Exception:
                # The database busy, the disk full: the next round tries again.
                log.exception("the readings could not be brought up to date")
            alive()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), CHECK_EVERY_SECONDS)
    finally:
        engine.dispose()


# What the process needs of the box's settings.
SETTINGS = ("database_url", "data_dir", "default_locale", "timezone")


def become_media(config: dict[str, Any]) -> NoReturn:
    """Replace this process (same id, signals and parent) with the media process alone,
    without the command line's imports (click, the link, provisioning) it never uses:
    about 20 MB less for as long as the box runs."""
    sys.stdout.flush()
    sys.stderr.flush()
    settings = json.dumps({name: str(config[name]) for name in SETTINGS})
    os.execv(sys.executable, [sys.executable, "-m", "appliance.services.media", settings])


def serve(config: dict[str, Any], ready: Callable[[], None], alive: Callable[[], None]) -> None:
    """Run the media process in the foreground until SIGTERM or SIGINT."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    asyncio.run(_until_signalled(config, ready, alive))


async def _until_signalled(
    config: dict[str, Any], ready: Callable[[], None], alive: Callable[[], None]
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    await run(config, stop, ready, alive)
