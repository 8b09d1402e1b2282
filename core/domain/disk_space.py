"""Room left on the disk of the data folder, where the database and its photos live.

On a full SD card SQLite fails in the middle of a write and the person sees a server
error; a box whose disk is nearly full says so before that, in the person's language.
The free space is asked of the kernel (``os.statvfs``, a few microseconds) at most once
every ``CHECKED_EVERY_S`` per process: a few seconds late is soon enough for a disk that
fills over hours, even under a flood of uploads (each at most ``max_photo_bytes``).
"""

from __future__ import annotations

import os
import time

from core.domain.errors import N_, DomainError

CHECKED_EVERY_S = 5.0

_last_seen: dict[str, tuple[float, int]] = {}


class DiskNearlyFull(DomainError):
    """The box has too little room left to store what was sent."""

    # HTTP's "Insufficient Storage".
    status = 507

    def __init__(self, field: str | None = None) -> None:
        super().__init__(
            "disk_nearly_full",
            N_(
                "The portal has almost no space left. It cannot save what you sent. "
                "You can still read everything. Please tell your caretaker."
            ),
            field,
        )


def free_bytes(path: str) -> int:
    """Return the bytes free for this process on the file system holding ``path``."""
    now = time.monotonic()
    seen = _last_seen.get(path)
    if seen is None or now - seen[0] >= CHECKED_EVERY_S:
        found = os.statvfs(path)
        # What an unprivileged process may use: the blocks reserved for root do not count.
        seen = (now, found.f_bavail * found.f_frsize)
        _last_seen[path] = seen
    return seen[1]


def require_room(path: str, reserve: int, field: str | None = None) -> None:
    """Raise DiskNearlyFull (about ``field``, if said) when less than ``reserve`` bytes
    are free where ``path`` is."""
    if free_bytes(path) < reserve:
        raise DiskNearlyFull(field)


def nearly_full(free: int | None, reserve: int) -> bool:
    """Tell whether a disk with this much free (None: not known) is under the reserve."""
    return free is not None and free < reserve
