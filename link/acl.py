"""The broker's access rules: a box speaks and listens only on its own branch of the topic map.

The rules are a Mosquitto plugin, ``link/broker_rules.c``, built by ``scripts/setup.sh``:
Mosquitto 2.0's ``acl_file`` grants every SUBSCRIBE and ignores the retain flag, so it
cannot keep a box out of the hub's shared subscription nor stop it retaining what it
sends. This module names what the plugin is told, so that each name has one source: the
topic root and the ingest group of ``link.topics``, the hub's username, whose
credentials a listener accepts, and how much each box may publish (``link.box_rate``).
The rules follow the username, which is also the box id; a new box needs no change to
them.
"""

from __future__ import annotations

import enum

from link import topics
from link.box_rate import BoxRate

# The broker username of every hub ingest process; a box may never be given this name.
HUB_USER = "hub"


class Admits(enum.Enum):
    """Whose credentials a broker listener accepts."""

    HUB = "hub"
    BOXES = "boxes"
    # One listener for the hub and the boxes, for trials on a closed network.
    ALL = "all"


def plugin_options(admits: Admits, rate: BoxRate) -> dict[str, str]:
    """Return the rules plugin's options for a listener that accepts ``admits``, where
    each box may publish at ``rate``."""
    return {
        "topic_root": topics.ROOT,
        "hub_user": HUB_USER,
        "ingest_group": topics.INGEST_GROUP,
        "admits": admits.value,
        **rate.plugin_options(),
    }
