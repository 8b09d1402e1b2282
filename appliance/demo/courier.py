"""The link's messages carried by hand between the databases of a demo being built.

On first start the demo writes a hub and its boxes before any process runs: tenants file
reports on their box, the agent answers them at the hub, publishers write at the hub.
Each of those changes leaves a message in its side's outbox, as it would anywhere. The
courier hands them to the other side through the same code the box agent and the hub
ingest use (``link.inbox``), acknowledgements included, so the estate starts whole and
with empty outboxes.
"""

from __future__ import annotations

from sqlalchemy import Engine

from core.domain import outbox
from core.domain.clock import utcnow
from core.storage.engine import writing
from link import inbox, topics

# Every message waiting is taken at once: the demo writes a few hundred at most.
AT_ONCE = 100_000
# Each round answers the messages of the one before; two rounds settle the demo.
MOST_ROUNDS = 10


def _due(engine: Engine) -> list[dict]:
    with writing(engine) as connection:
        return outbox.take_due(connection, utcnow(), 0, AT_ONCE, AT_ONCE)


def _box_to_hub(hub: Engine, box_id: str, box: Engine) -> int:
    rows = _due(box)
    messages = [(topics.up(box_id), inbox.outgoing(box_id, row)) for row in rows]
    answers = inbox.at_hub_receive(hub, messages).replies
    inbox.at_box_receive(box, box_id, answers)
    return len(rows)


def _hub_to_boxes(hub: Engine, boxes: dict[str, Engine]) -> int:
    rows = _due(hub)
    for box_id, box in boxes.items():
        messages = [
            (topics.down(box_id), inbox.outgoing(box_id, row))
            for row in rows
            if row["peer_id"] == box_id
        ]
        if messages:
            inbox.at_hub_receive(hub, inbox.at_box_receive(box, box_id, messages).replies)
    return len(rows)


def deliver_all(hub: Engine, boxes: dict[str, Engine]) -> None:
    """Carry every waiting message both ways until no outbox holds anything."""
    for _ in range(MOST_ROUNDS):
        carried = sum(_box_to_hub(hub, box_id, box) for box_id, box in boxes.items())
        carried += _hub_to_boxes(hub, boxes)
        if not carried:
            return
    raise RuntimeError("the demo's messages did not settle between the hub and its boxes")
