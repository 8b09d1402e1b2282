"""The topic map of protocol version 1 (docs/PROTOCOL.md).

Every box has its own branch under ``rc/v1/box/<box id>/``; the broker's ACL lets a box
write only under its own branch and read only its own ``down`` topic, and the hub checks
that the box id in a message matches the branch it came on.
"""

from __future__ import annotations

ROOT = "rc/v1/box"
# Several hub ingest processes share the upstream topics through this group.
INGEST_GROUP = "ingest"


def up(box_id: str) -> str:
    """Box → hub: envelopes (reports, their messages and "me too", acknowledgements)."""
    return f"{ROOT}/{box_id}/up"


def down(box_id: str) -> str:
    """Hub → box: envelopes (status changes, agent messages, news, works, acknowledgements)."""
    return f"{ROOT}/{box_id}/down"


def status(box_id: str) -> str:
    """Box → anyone: retained "online" with the box's version, or the last will "offline"."""
    return f"{ROOT}/{box_id}/status"


def telemetry(box_id: str) -> str:
    """Box → hub, every minute: version, uptime, disk free, outbox depth, last sync."""
    return f"{ROOT}/{box_id}/telemetry"


def hub_subscriptions(shared: bool = True) -> list[str]:
    """What a hub ingest process subscribes to, as one member of the shared group."""
    filters = [f"{ROOT}/+/up", f"{ROOT}/+/status", f"{ROOT}/+/telemetry"]
    if not shared:
        return filters
    return [f"$share/{INGEST_GROUP}/{topic}" for topic in filters]


def retained_unwanted(topic: str) -> bool:
    """Tell whether a retained message on this topic is out of place: only a box's
    status (its presence, and its last will) is kept by the broker for later readers."""
    where = box_of(topic)
    return where is None or where[1] != "status"


def box_of(topic: str) -> tuple[str, str] | None:
    """Return (box id, channel) of a topic of the map, or None for any other topic."""
    parts = topic.split("/")
    if len(parts) != 5 or "/".join(parts[:3]) != ROOT or not parts[3]:
        return None
    return parts[3], parts[4]
