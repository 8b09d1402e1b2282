"""A message body: its kind, its fields, and how it goes into the outbox.

Unknown fields are ignored, so a newer sender's body still reads (docs/PROTOCOL.md,
"Changing the protocol"). A body is written in the outbox as the change it carries
commits; ``outbox`` numbers it and keeps it until the other side has applied it.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection

from core.domain import outbox


class Part(BaseModel):
    """An object inside a body: a report, a dwelling, a publisher…"""

    model_config = ConfigDict(frozen=True, extra="ignore")


class Body(Part):
    """The body of one kind of message."""

    KIND: ClassVar[str]


def to_hub(connection: Connection, body: Body, subject_id: str | None) -> None:
    """On a linked box, queue the message for the hub; elsewhere do nothing."""
    outbox.tell_hub(connection, body.KIND, body.model_dump(), subject_id)


def to_boxes_of(
    connection: Connection,
    building_ids: list[str],
    body: Body,
    subject_id: str | None,
    skip: set[str] = frozenset(),
    only: str | None = None,
) -> int:
    """At the hub, queue the message for each box serving one of the buildings (but those
    in ``skip``; with ``only``, that box alone); return how many."""
    return outbox.tell_boxes_of(
        connection, building_ids, body.KIND, body.model_dump(), subject_id, skip=skip, only=only
    )


def to_box(connection: Connection, box_id: str, body: Body, subject_id: str | None) -> None:
    """At the hub, queue the message for that box alone."""
    outbox.tell_box(connection, box_id, body.KIND, body.model_dump(), subject_id)
