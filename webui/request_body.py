"""A request's body is read whole, within a deadline, before the request is handled.

A request that may write takes the database's write lock when it first touches the
database, and the person behind it is looked up before the view reads the body: a client
sending its body slowly would then hold the lock of every other write on the box for as
long as it liked. Reading the body first, before Flask sees the request, makes the lock
wait only for the box's own work. And a body must arrive in ``seconds`` plus the time to
send its size at ``LEAST_RATE``: a sender slower than that is cut off with a 408 instead
of keeping one of the web service's few threads for ever.

A body bigger than the service accepts is not read: Flask refuses it with a 413.
"""

from __future__ import annotations

import contextlib
import socket
import tempfile
import threading
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, request
from gunicorn.http.errors import NoMoreData
from werkzeug.exceptions import RequestTimeout

# A phone on a poor Wi-Fi sends a few megabits a second: a tenth of that is still a body
# arriving, not a sender holding on.
LEAST_RATE = 32 * 1024
CHUNK = 64 * 1024
# Bodies are kept in memory up to this size, on disk beyond (photos).
IN_MEMORY = 1024 * 1024
TOO_SLOW = "residacoeur.body_too_slow"


class BodyFirst:
    """WSGI middleware: read the whole body before the application runs."""

    def __init__(self, app: Callable, seconds: float, most_bytes: int) -> None:
        self.app = app
        self.seconds = seconds
        self.most_bytes = most_bytes

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        chunked = environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked"
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if (length or chunked) and length <= self.most_bytes:
            self._read(environ, length, chunked)
        return self.app(environ, start_response)

    def _read(self, environ: dict[str, Any], length: int, chunked: bool) -> None:
        # Handed to the application as its input, closed when the request is collected.
        body = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115
        stream = environ["wsgi.input"]
        # A chunked body has no length: read it until its end, no more than accepted.
        left = length if not chunked else self.most_bytes + 1
        deadline = Deadline(environ.get("gunicorn.socket"), self.seconds + length / LEAST_RATE)
        try:
            while left > 0:
                chunk = stream.read(min(CHUNK, left))
                if not chunk:
                    break
                body.write(chunk)
                left -= len(chunk)
        except (OSError, ValueError, NoMoreData):
            # The socket was cut at the deadline, or the client went away.
            environ[TOO_SLOW] = True
        if deadline.end():
            environ[TOO_SLOW] = True
        size = body.tell()
        body.seek(0)
        environ["wsgi.input"] = body
        environ["CONTENT_LENGTH"] = str(size)
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        environ["wsgi.input_terminated"] = True


class Deadline:
    """Stops reading from a client's socket at a deadline.

    A read of n bytes waits for all n: a client sending a byte a second never lets a
    timeout on each read expire. Shutting the socket's reading side down ends any read
    at once; the answer can still be written.
    """

    def __init__(self, sock: socket.socket | None, seconds: float) -> None:
        self.sock = sock
        self._lock = threading.Lock()
        self._passed = False
        self._over = False
        self._timer = threading.Timer(seconds, self._cut) if sock is not None else None
        if self._timer is not None:
            self._timer.daemon = True
            self._timer.start()

    def _cut(self) -> None:
        with self._lock:
            if self._over:
                return
            self._passed = True
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RD)

    def end(self) -> bool:
        """Stop watching; tell whether the deadline passed."""
        with self._lock:
            self._over = True
        if self._timer is not None:
            self._timer.cancel()
        return self._passed


def _refuse_slow_bodies() -> None:
    if request.environ.get(TOO_SLOW):
        raise RequestTimeout()


def _close_after_timeout(response):
    if request.environ.get(TOO_SLOW):
        # What the client still sends must not be read as its next request.
        response.headers["Connection"] = "close"
    return response


def init_app(app: Flask, seconds: float) -> None:
    """Read bodies first, within ``seconds`` plus their size's time; refuse slower ones."""
    app.wsgi_app = BodyFirst(app.wsgi_app, seconds, app.config["MAX_CONTENT_LENGTH"])
    app.before_request(_refuse_slow_bodies)
    app.after_request(_close_after_timeout)
