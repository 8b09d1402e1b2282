"""Tenant pages rendered once and reused while nothing they show has changed.

A Pi-class box serves a few dozen people who reopen the same pages all day. Each worker
keeps the pages it rendered, keyed by the page, the person, their language, text size
and screen (TV or not), their session's CSRF secret (the page's forms carry it), the
estate's content version
(bumped by database triggers on every change a tenant page can show, whoever writes it)
and the current minute (so news expiring and works ending drop out on time).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any

from flask import Response, g, make_response, request, session
from flask_babel import get_locale
from sqlalchemy import select

from core.storage.schema import content_version
from webui.database import db
from webui.tv import mode

MAX_PAGES = 512


class RecentPages:
    """A bounded map of rendered pages or parts of pages, forgetting the least recently used."""

    def __init__(self, size: int):
        self._size = size
        self._pages: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: Hashable, page: Any) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)


_recent = RecentPages(MAX_PAGES)


_VERSION = select(content_version.c.version)


def current_version() -> int:
    """Return how many changes the estate's content has seen (read once per request)."""
    if "content_version" not in g:
        g.content_version = db().execute(_VERSION).scalar_one()
    return g.content_version


def _key(also: Callable[[], Hashable] | None) -> tuple | None:
    csrf_secret = session.get("csrf_token")
    # A page with a message to show once, or whose forms would need a new CSRF secret,
    # is rendered afresh.
    if g.profile is None or csrf_secret is None or session.get("_flashes"):
        return None
    return (
        request.full_path,
        g.profile["id"],
        str(get_locale()),
        g.profile["text_size"],
        mode.is_on(),
        csrf_secret,
        current_version(),
        int(time.time() // 60),
        also() if also is not None else None,
    )


def reused_when_unchanged(
    view: Callable[..., Any] | None = None, *, also: Callable[[], Hashable] | None = None
) -> Any:
    """Serve the tenant page from this worker's recent pages when nothing has changed.

    ``also`` gives what else the page shows that lives outside the database, such as who
    is in the video rooms now: a page is reused only while it gives the same.
    """

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            key = _key(also)
            if key is None:
                return view(*args, **kwargs)
            page = _recent.get(key)
            if page is not None:
                return Response(page, mimetype="text/html")
            response = make_response(view(*args, **kwargs))
            if response.status_code == 200:
                _recent.put(key, response.get_data())
            return response

        return wrapped

    return decorate(view) if view is not None else decorate
