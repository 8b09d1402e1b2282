"""A box whose disk is nearly full refuses what would fill it, politely.

When the data folder's file system has less than ``min_free_disk_bytes`` free
(``core.domain.disk_space``), photos are refused: on the pages, by the form that
receives them (``webui/draft_photos.py``), beside the photos field, with everything the
person typed kept; through the API, every request that sends a file and every tenant's
write is refused before it starts (HTTP 507, a problem document), the client keeping its
own draft. Text written on the pages takes next to nothing of the room left and goes
on: refusing it would lose what people typed. Signing in and out and choosing a language
stay open everywhere. Staff keep the room left to help, and so does the box agent, which
must go on applying and acknowledging the hub's messages.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request

from core.domain import disk_space

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_ALWAYS_OPEN = ("/api/v1/session",)


def _sends_a_file() -> bool:
    return request.mimetype == "multipart/form-data" and any(
        upload.filename for _name, upload in request.files.items(multi=True)
    )


def _tenant_writes() -> bool:
    return g.get("profile") is not None and not request.path.startswith(_ALWAYS_OPEN)


def _refuse_when_nearly_full() -> None:
    if not request.path.startswith("/api/") or request.method in _READ_METHODS:
        return
    if not (_tenant_writes() or _sends_a_file()):
        return
    config = current_app.config["RESIDACOEUR"]
    disk_space.require_room(config["data_dir"], config["min_free_disk_bytes"])


def init_app(app: Flask) -> None:
    """Check the room left before each API write that a nearly full disk refuses."""
    app.before_request(_refuse_when_nearly_full)
