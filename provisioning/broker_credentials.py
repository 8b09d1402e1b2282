"""Broker credentials of boxes and of the hub: random passwords in Mosquitto's password file.

Each line of the file is ``username:$7$<iterations>$<salt>$<hash>``, the PBKDF2-SHA512
format that Mosquitto 2 and ``mosquitto_passwd`` use, salt and hash in standard base64.
A box's username is its box id, which is also its MQTT client id and the branch the
broker's rules give it (``link/broker_rules.c``). The file is replaced whole, never edited
in place, so a broker re-reading it on SIGHUP never sees half of it.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import os
import re
import secrets
import signal
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from link.acl import HUB_USER

# mosquitto_passwd's own count. Passwords here are 256 random bits, so stretching adds no
# strength, while the broker hashes once per CONNECT: thousands of boxes reconnect at once
# after a hub outage.
ITERATIONS = 101
SALT_BYTES = 12
RELOAD_AGAIN_AFTER_S = 0.2
# A username becomes one level of a topic through the ACL's %u, and ":" ends it in the
# password file: letters, digits, ".", "_" and "-" only.
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def new_password() -> str:
    """Return a fresh random password, safe to pass in an MQTT CONNECT and in a config file."""
    return secrets.token_urlsafe(32)


def hash_password(password: str, salt: bytes | None = None) -> str:
    """Return the password in Mosquitto's ``$7$`` format, with a random salt unless given."""
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha512", password.encode("utf-8"), salt, ITERATIONS)
    encode = base64.b64encode
    return f"$7${ITERATIONS}${encode(salt).decode()}${encode(digest).decode()}"


def issue_box_credentials(password_file: Path, box_id: str) -> str:
    """Give the box a new password (replacing any old one) and return it in clear, once."""
    # A box's client id is its box id, and the hub's processes sign in under client ids
    # "hub-…": a box sharing one would knock that process off the broker.
    if box_id == HUB_USER or box_id.startswith(f"{HUB_USER}-"):
        raise ValueError(f"box ids are not {HUB_USER!r} nor begin with '{HUB_USER}-'")
    return _issue(password_file, box_id)


def issue_hub_credentials(password_file: Path) -> str:
    """Give the hub's ingest processes a new password and return it in clear, once."""
    return _issue(password_file, HUB_USER)


def set_user(password_file: Path, username: str, password: str) -> None:
    """Add the user to the password file, or replace its password."""
    _check_username(username)
    line = f"{username}:{hash_password(password)}"
    with _locked(password_file):
        others = [entry for entry in _read_lines(password_file) if _user_of(entry) != username]
        _replace(password_file, [*others, line])


def remove_user(password_file: Path, username: str) -> bool:
    """Remove the user from the password file; return whether it was there."""
    with _locked(password_file):
        lines = _read_lines(password_file)
        kept = [entry for entry in lines if _user_of(entry) != username]
        if len(kept) == len(lines):
            return False
        _replace(password_file, kept)
        return True


def reload_broker(pid: int) -> None:
    """Ask the running broker to re-read its password and ACL files."""
    os.kill(pid, signal.SIGHUP)
    # Mosquitto drops a signal that comes while it is still reloading for an earlier one,
    # which may have read the files before this change: asking again a moment later
    # makes sure the files as they are now are read.
    time.sleep(RELOAD_AGAIN_AFTER_S)
    os.kill(pid, signal.SIGHUP)


def _issue(password_file: Path, username: str) -> str:
    password = new_password()
    set_user(password_file, username, password)
    return password


def _check_username(username: str) -> None:
    if not USERNAME.fullmatch(username):
        raise ValueError(f"not a valid broker username: {username!r}")


def _user_of(line: str) -> str:
    return line.split(":", 1)[0]


def _read_lines(password_file: Path) -> list[str]:
    if not password_file.exists():
        return []
    return [line for line in password_file.read_text(encoding="utf-8").splitlines() if line]


@contextmanager
def _locked(password_file: Path) -> Iterator[None]:
    # Two enrolments at once must not each rewrite the file without the other's line.
    # The lock is on the folder, as the file itself is replaced under it.
    folder = os.open(password_file.parent, os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        yield
    finally:
        os.close(folder)


def _replace(password_file: Path, lines: list[str]) -> None:
    # mkstemp creates the file with mode 0600, the mode it keeps after the rename.
    descriptor, temporary = tempfile.mkstemp(dir=password_file.parent, prefix=".passwords-")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write("".join(f"{line}\n" for line in lines))
            handle.flush()
            os.fsync(handle.fileno())
        _keep_owner(Path(temporary), password_file)
        os.replace(temporary, password_file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _keep_owner(new: Path, old: Path) -> None:
    # Run as root, the broker drops to its own user before reading the file: a file
    # rewritten by root must stay that user's to remain readable at mode 0600.
    if os.geteuid() == 0 and old.exists():
        owner = old.stat()
        os.chown(new, owner.st_uid, owner.st_gid)
