"""A box whose disk is nearly full refuses tenants' writes and uploaded files, politely.

When the data folder's file system has less than ``min_free_disk_bytes`` free
(``appliance.domain.disk_space``), every request that sends a file and every tenant's
write is refused before it starts, with a message in the person's language (HTTP 507).
Reading goes on. Signing in and out and choosing a language store next to nothing and
stay open, so a person can read the message in their language and leave. Staff keep
the room left to help (answering reports, tidying up), and so does the box agent, which
must go on applying and acknowledging the hub's messages.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request

from appliance.domain import disk_space

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_ALWAYS_OPEN = ("/welcome", "/sign-out", "/preferences/", "/api/v1/session")


def _sends_a_file() -> bool:
    return request.mimetype == "multipart/form-data" and any(
        upload.filename for _name, upload in request.files.items(multi=True)
    )


def _tenant_writes() -> bool:
    return g.get("profile") is not None and not request.path.startswith(_ALWAYS_OPEN)


def _refuse_when_nearly_full() -> None:
    if request.method in _READ_METHODS or not (_tenant_writes() or _sends_a_file()):
        return
    config = current_app.config["RESIDACOEUR"]
    disk_space.require_room(config["data_dir"], config["min_free_disk_bytes"])


def init_app(app: Flask) -> None:
    """Check the room left before each write that a nearly full disk refuses."""
    app.before_request(_refuse_when_nearly_full)
