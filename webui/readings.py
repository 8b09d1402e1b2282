"""Items read aloud on the portal's pages: the "Listen" player's address for an item, in
the reader's language where it is written in it (core/domain/read_aloud.py), and the
sound itself. Readings are spoken in the background (`residacoeur box read-aloud`): an
item not spoken yet has no player, and a page never waits for a voice.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, abort, current_app, g, send_file, url_for
from flask_babel import get_locale

from core import speech_library
from core.domain import read_aloud

# A reading's name is its content's digest: the same address never gives other sound.
YEAR = 365 * 24 * 3600


def _readings(kind: str, item: dict[str, Any]) -> list[read_aloud.Reading]:
    config = current_app.config["RESIDACOEUR"]
    if kind == "news":
        return read_aloud.of_news(item)
    if kind == "works":
        return read_aloud.of_works(item)
    return read_aloud.of_event(item, config["default_locale"], ZoneInfo(config["timezone"]))


def spoken_name(kind: str, item: dict[str, Any]) -> str | None:
    """The name of an item's reading in the page's language (else the original's), once
    it has been spoken."""
    readings = _readings(kind, item)
    reading = read_aloud.of_item(readings, kind, item["id"], str(get_locale()))
    data_dir = current_app.config["RESIDACOEUR"]["data_dir"]
    if reading is None or speech_library.path_of(data_dir, reading.name) is None:
        return None
    return reading.name


def listen_to(kind: str, item: dict[str, Any]) -> str | None:
    """The address of an item's reading for this tenant, once it has been spoken (none
    on staff pages)."""
    if g.get("profile") is None:
        return None
    name = spoken_name(kind, item)
    return url_for("portal.reading", name=name) if name else None


def sound(name: str):
    """A reading's sound (ranges answered: a TV's player and a browser's seek in it)."""
    path = speech_library.path_of(current_app.config["RESIDACOEUR"]["data_dir"], name)
    if path is None:
        abort(404)
    answer = send_file(path, mimetype="audio/mpeg", conditional=True, max_age=YEAR)
    answer.headers["Cache-Control"] = f"private, max-age={YEAR}, immutable"
    return answer


def init_app(app: Flask) -> None:
    app.jinja_env.globals["listen_to"] = listen_to
