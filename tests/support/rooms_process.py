"""The rooms process as tests start it: the real command, on a socket of its own.

Its socket sits in a short folder (a socket's path is at most 107 bytes), beside where
the web service's would be; its errors go to a file there, which ``said()`` reads.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from flask import Flask
from websockets.sync.client import ClientConnection, unix_connect

from core.domain import room_tickets
from core.secrets import ensure_secrets
from webui import create_app

COMMAND = str(Path(sys.executable).with_name("residacoeur"))
PERSON = {"id": "p-1", "display_name": "Mme Benali"}


class RoomsProcess:
    """``residacoeur box rooms`` over a data folder, with settings from the environment."""

    def __init__(self, data_dir: Path, **settings: str) -> None:
        self.data_dir = data_dir
        self.run_dir = Path(tempfile.mkdtemp(prefix="rc-", dir="/tmp"))
        self.socket = self.run_dir / "rooms.sock"
        self.log = self.run_dir / "rooms.log"
        environment = {
            **os.environ,
            "RESIDACOEUR_DATA_DIR": str(data_dir),
            "RESIDACOEUR_BIND": f"unix:{self.run_dir / 'web.sock'}",
            **{f"RESIDACOEUR_{name.upper()}": value for name, value in settings.items()},
        }
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [COMMAND, "box", "rooms"], env=environment, stderr=output
            )
        deadline = time.monotonic() + 30
        while not self.socket.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(self.log.read_text())
            time.sleep(0.1)
        self.key = ensure_secrets(data_dir)["rooms_key"]

    def connect(self) -> ClientConnection:
        return unix_connect(str(self.socket), "ws://localhost/live/rooms/", open_timeout=10)

    def ticket(
        self,
        room: str = "neighbours-b1",
        profile: dict | None = None,
        until: datetime | None = None,
    ) -> str:
        return room_tickets.issue(self.key, profile or PERSON, room, until)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)
        shutil.rmtree(self.run_dir, ignore_errors=True)

    def said(self) -> str:
        return self.log.read_text(errors="replace")


def web_service_beside(rooms: RoomsProcess, static_dir: Path) -> Flask:
    """The box's web service over the same data, its socket beside the rooms' one as on
    a box, so that its orders reach this rooms process."""
    app = create_app(
        {
            "data_dir": str(rooms.data_dir),
            "static_dir": str(static_dir),
            "bind": f"unix:{rooms.run_dir / 'web.sock'}",
            "login_attempts_per_address": 1000,
        }
    )
    app.config["TESTING"] = True
    return app
