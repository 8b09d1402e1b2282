"""Small notes a page writes about its reader, written apart once the page is ready.

Reading a page notes when the person was last seen (once a day) and what they have read.
Written inside the page's own transaction, such a note turned a read into a write: two
tabs of one person opened at once then fought over the database's lock, and a page could
fail for a note nobody asked for. Here each note waits until the answer is ready, after the
page's own transaction has ended, then is written in a short transaction of its own that
waits a moment for the lock and otherwise gives up quietly: the next page notes it again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, g
from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from core.storage.engine import writing_briefly
from webui.database import engine

log = logging.getLogger(__name__)

# Long enough for another request's write to end, short enough to free the thread.
PATIENCE_S = 1.0


def note_later(write: Callable[[Connection], None]) -> None:
    """Write ``write(connection)`` once this request's answer is sent."""
    g.setdefault("bookkeeping", []).append(write)


def _write(_exc: BaseException | None) -> None:
    notes = g.pop("bookkeeping", [])
    if not notes:
        return
    try:
        with writing_briefly(engine(), PATIENCE_S) as connection:
            for write in notes:
                write(connection)
    except SQLAlchemyError as error:
        log.info("%d notes on a reader not written, noted again next time: %s", len(notes), error)


def init_app(app: Flask) -> None:
    """Write each request's notes once its answer is ready."""
    app.teardown_request(_write)
