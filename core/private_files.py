"""Files only their owner may read: secrets, link settings, enrolments, codes, keys.

Each is written under a temporary name beside it, readable and writable by its owner
alone from the start, then renamed over the old one: a reader never sees half a file,
a writer that fails leaves the old one as it was, and a file that an earlier version
left readable by others is replaced by one that is not.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes


@contextlib.contextmanager
def private_file(
    path: str | Path, mode: str = "w", newline: str | None = None
) -> Iterator[IO[Any]]:
    """Open ``path`` to be written whole (``mode`` "w" for text in UTF-8, "wb" for bytes),
    readable by its owner only; it replaces the old file when the block ends."""
    if mode not in ("w", "wb"):
        raise ValueError(f"a private file is written whole: mode w or wb, not {mode}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    # A temporary file left by a crash keeps its mode: make sure of it.
    os.fchmod(descriptor, 0o600)
    try:
        if mode == "wb":
            with os.fdopen(descriptor, "wb") as handle:
                yield handle
        else:
            with os.fdopen(descriptor, "w", encoding="utf-8", newline=newline) as handle:
                yield handle
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_private_key(path: str | Path, key: PrivateKeyTypes) -> None:
    """Write an unencrypted PEM private key that only its owner can read."""
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with private_file(path, "wb") as handle:
        handle.write(pem)
