"""A residence's posts and events, and what happens to them, handed by the hub to the
residence's other boxes: never back to the box they came from, so nothing echoes."""

from __future__ import annotations

from sqlalchemy import Connection, select

from core.messages.outgoing import Body, to_boxes_of
from core.messages.photos import photo_added
from core.storage.schema import buildings


def relay(
    connection: Connection,
    from_box: str,
    residence_id: str,
    body: Body,
    subject_id: str,
    photo_id: str | None = None,
) -> None:
    """At the hub, hand what a box said of a residence's post or event to the residence's
    other boxes (its photo first, for a post)."""
    targets = list(
        connection.execute(
            select(buildings.c.id).where(buildings.c.residence_id == residence_id)
        ).scalars()
    )
    skip = {from_box}
    if photo_id:
        to_boxes_of(connection, targets, photo_added(connection, photo_id), subject_id, skip=skip)
    to_boxes_of(connection, targets, body, subject_id, skip=skip)
