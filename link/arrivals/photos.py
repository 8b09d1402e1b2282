"""A photo arriving from the other side of the link, kept once, whichever side it reaches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from core.domain import photos
from core.messages.photos import PhotoAdded


def photo_added(connection: Connection, body: PhotoAdded) -> None:
    photos.keep_from_link(connection, body.photo_id, body.jpeg, body.width, body.height)


def photo_from_box(connection: Connection, _box_id: str, body: PhotoAdded) -> None:
    photo_added(connection, body)


AT_HUB: dict[type, Callable[..., Any]] = {PhotoAdded: photo_from_box}
AT_BOX: dict[type, Callable[..., Any]] = {PhotoAdded: photo_added}
