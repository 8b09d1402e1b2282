"""The broker's access rules: a box speaks and listens only on its own branch of the topic map.

The rules are the text of Mosquitto's ``acl_file``. Box rules are patterns on ``%u``, the
broker username, which is also the box id: one file serves every box, and a new box needs
no change here. Because the rules follow the username and never the client id, a box that
connects under another box's client id still reaches only its own branch.

Mosquitto 2.0's ``acl_file`` grants every SUBSCRIBE and checks read access on each message
as it is delivered, against the message's own topic, without the ``$share/<group>/``
prefix. So the hub's shared subscriptions need read rules on the plain topics, and a box
that subscribes to another box's ``down`` is granted the subscription yet receives nothing.
"""

from __future__ import annotations

from pathlib import Path

from sync import topics

# The broker username of every hub ingest process; a box may never be given this name.
HUB_USER = "hub"


def acl_text() -> str:
    """Return the whole ACL file: box patterns on ``%u`` first, then the hub's rules."""
    box = "%u"
    lines = [
        "# Broker access rules of Résidacœur, written by sync/acl.py.",
        "# A box, whose username is its box id, writes and reads only its own branch.",
        f"pattern write {topics.up(box)}",
        f"pattern write {topics.status(box)}",
        f"pattern write {topics.telemetry(box)}",
        f"pattern read {topics.down(box)}",
        "",
        "# The hub reads what every box sends and writes to every box.",
        f"user {HUB_USER}",
        *(f"topic read {topic}" for topic in topics.hub_subscriptions(shared=False)),
        f"topic write {topics.down('+')}",
    ]
    return "\n".join(lines) + "\n"


def write_acl(path: Path) -> Path:
    """Write the ACL file at ``path`` and return the path; the broker re-reads it on SIGHUP."""
    path.write_text(acl_text(), encoding="utf-8")
    return path
