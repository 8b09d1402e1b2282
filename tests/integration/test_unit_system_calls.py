"""The box's programs under the system-call rules of their units (tests/support/unit_sandbox.py).

A call the unit does not allow fails with EPERM, memory cannot be both writable and
executable, and a socket of a family the unit does not list cannot be made: what would
break on the box breaks here, before an image is built.
"""

from __future__ import annotations

import json
import select
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from websockets.sync.client import unix_connect

from appliance.web_watchdog import answers
from core.domain import estate, news, room_tickets
from core.secrets import ensure_secrets
from core.storage.engine import make_engine
from tests.support import unit_sandbox
from tests.support.notify_socket import NotifySocket

UNITS = Path(__file__).resolve().parents[2] / "image-build" / "systemd"
COMMAND = str(Path(sys.executable).with_name("residacoeur"))

pytestmark = pytest.mark.skipif(
    unit_sandbox.usable() is not None, reason=str(unit_sandbox.usable())
)


def _run(unit: str, command: list[str], **options) -> subprocess.CompletedProcess:
    wrapped = unit_sandbox.wrapped(UNITS / unit, command)
    return subprocess.run(wrapped, capture_output=True, text=True, timeout=120, **options)


def test_the_rules_refuse_what_the_units_leave_out():
    refused = _run(
        "residacoeur-web.service",
        [
            sys.executable,
            "-c",
            "import mmap, os, socket\n"
            "for attempt in (lambda: os.chroot('/'), lambda: socket.socket(socket.AF_INET),\n"
            "                lambda: mmap.mmap(-1, 4096, prot=7)):\n"
            "    try: attempt()\n"
            "    except OSError as error: print(error.errno)\n",
        ],
    )
    assert refused.stdout.split() == ["1", "97", "1"], refused.stderr


def test_what_the_web_service_loads_works_under_its_rules():
    # Argon2 (PINs), cryptography (keys and certificates), a ctypes call back (as the
    # import of ctypes itself makes), all through libffi or cffi.
    loaded = _run(
        "residacoeur-web.service",
        [
            sys.executable,
            "-c",
            "import argon2, ctypes\n"
            "from cryptography.hazmat.primitives.asymmetric import ec\n"
            "hasher = argon2.PasswordHasher()\n"
            "assert hasher.verify(hasher.hash('2468'), '2468')\n"
            "ec.generate_private_key(ec.SECP256R1())\n"
            "assert ctypes.CFUNCTYPE(ctypes.c_int)(lambda: 7)() == 7\n"
            "print('loaded')\n",
        ],
    )
    assert loaded.stdout.strip() == "loaded", loaded.stderr


def test_the_web_service_starts_and_serves_under_its_rules():
    with NotifySocket() as notify, tempfile.TemporaryDirectory(prefix="rc-web-") as folder:
        web_socket = f"{folder}/web.sock"
        command = [COMMAND, "box", "web", "--data-dir", f"{folder}/data"]
        command += ["--bind", f"unix:{web_socket}", "--workers", "2"]
        process = subprocess.Popen(
            unit_sandbox.wrapped(UNITS / "residacoeur-web.service", command),
            env={**_environment(), **notify.environment()},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            # A new data folder: secrets made, the database migrated in a child process,
            # the app loaded, the workers started, /readyz answered through the socket.
            notify.wait_for("READY=1", timeout=90)
            assert answers(socket.AF_UNIX, web_socket, "/welcome", timeout=10)
            notify.wait_for("WATCHDOG=1", timeout=5)
        finally:
            process.terminate()
            _, errors = process.communicate(timeout=30)
        assert "Operation not permitted" not in errors.decode()


def test_the_rooms_start_and_make_an_offer_under_their_rules(tmp_path: Path):
    # aiortc (ICE, DTLS keys and certificate, SRTP) and websockets, with memory never
    # both writable and executable, on a socket beside the web service's.
    with NotifySocket() as notify, tempfile.TemporaryDirectory(prefix="rc-rooms-") as folder:
        data = tmp_path / "data"
        command = [COMMAND, "box", "rooms", "--data-dir", str(data)]
        process = subprocess.Popen(
            unit_sandbox.wrapped(UNITS / "residacoeur-rooms.service", command),
            env={**_environment(), "RESIDACOEUR_BIND": f"unix:{folder}/web.sock"}
            | notify.environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            notify.wait_for("READY=1", timeout=60)
            key = ensure_secrets(data)["rooms_key"]
            ticket = room_tickets.issue(key, {"id": "p-1", "display_name": "A"}, "neighbours-b")
            with unix_connect(f"{folder}/rooms.sock", "ws://localhost/live/rooms/") as page:
                page.send(json.dumps({"type": "join", "ticket": ticket}))
                assert json.loads(page.recv(timeout=30))["type"] == "offer"
            notify.wait_for("WATCHDOG=1", timeout=5)
        finally:
            process.terminate()
            _, errors = process.communicate(timeout=30)
        assert "Operation not permitted" not in errors.decode()


def test_housekeeping_runs_under_its_rules(tmp_path: Path):
    data = str(tmp_path / "data")
    migrated = subprocess.run(
        [COMMAND, "box", "migrate", "--data-dir", data], capture_output=True, env=_environment()
    )
    assert migrated.returncode == 0, migrated.stderr
    tidied = _run(
        "residacoeur-housekeeping.service",
        [COMMAND, "box", "housekeeping", "--data-dir", data],
        env=_environment(),
    )
    assert tidied.returncode == 0, tidied.stderr
    assert "ended items forgotten" in tidied.stdout


def test_the_media_process_reads_the_news_aloud_under_its_rules(tmp_path: Path):
    # espeak-ng and ffmpeg, started by the process, under the same rules.
    data = tmp_path / "data"
    migrated = subprocess.run(
        [COMMAND, "box", "migrate", "--data-dir", str(data)],
        capture_output=True,
        env=_environment(),
    )
    assert migrated.returncode == 0, migrated.stderr
    engine = make_engine(f"sqlite:///{data / 'box.sqlite3'}")
    with engine.begin() as connection:
        residence = estate.add_residence(connection, "Les Tilleuls", "15e", "Marseille")
        estate.add_building(connection, residence, "Bâtiment A")
        publisher = news.add_publisher(connection, "Mairie", "city")
        news.publish(connection, publisher, "Fête des voisins", "Samedi.", "city", "Marseille")
    engine.dispose()
    with NotifySocket() as notify:
        process = subprocess.Popen(
            unit_sandbox.wrapped(
                UNITS / "residacoeur-media.service",
                [COMMAND, "box", "media", "--data-dir", str(data)],
            ),
            env={**_environment(), **notify.environment()},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            notify.wait_for("READY=1", timeout=60)
            notify.wait_for("WATCHDOG=1", timeout=60)
            deadline = time.monotonic() + 60
            while not list((data / "speech").glob("*.mp3")) and time.monotonic() < deadline:
                time.sleep(0.5)
        finally:
            process.terminate()
            _, errors = process.communicate(timeout=30)
        assert process.returncode == 0, errors.decode()
    assert len(list((data / "speech").glob("*.mp3"))) == 1, errors.decode()
    assert "Operation not permitted" not in errors.decode()


def _environment() -> dict[str, str]:
    import os

    return {key: value for key, value in os.environ.items() if not key.startswith("RESIDACOEUR_")}


def test_the_announcement_goes_out_and_says_goodbye_under_its_rules(tmp_path):
    environment = {
        "RESIDACOEUR_DATA_DIR": str(tmp_path),
        "RESIDACOEUR_BOX_NAME": "Bâtiment Z",
        "RESIDACOEUR_LAN_INTERFACE": "lo",
        "PATH": "/usr/bin:/bin",
    }
    wrapped = unit_sandbox.wrapped(
        UNITS / "residacoeur-announce.service", [COMMAND, "box", "announce"]
    )
    process = subprocess.Popen(
        wrapped, env=environment, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    try:
        output = ""
        started = time.monotonic()
        while "announced batiment-z" not in output and time.monotonic() - started < 20:
            # Never wait on a line that may not come: the test would hang, not fail.
            if not select.select([process.stderr], [], [], 1)[0]:
                continue
            line = process.stderr.readline()
            if not line:
                break
            output += line
        assert "announced batiment-z" in output, output
    finally:
        process.terminate()
        rest = process.communicate(timeout=15)[1]
    assert process.returncode == 0, output + rest
