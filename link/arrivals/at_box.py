"""What a box does with each kind of message the hub sends (docs/PROTOCOL.md, hub → box):
the body read into its kind's model, then applied by its feature's module, inside the
caller's transaction. Anything that cannot be applied raises; the caller keeps the
message aside and moves on.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from link import typed_body
from link.arrivals import certificates, events, noticeboard, photos, publications, reports

# Each kind's model, and the function of its feature that applies it.
ARRIVALS = {
    model.KIND: (model, apply)
    for feature in (photos, reports, publications, noticeboard, events, certificates)
    for model, apply in feature.AT_BOX.items()
}


def apply(connection: Connection, kind: str, body: dict[str, Any]) -> None:
    """Apply a message of ``kind`` the hub sent."""
    model, applied = ARRIVALS[kind]
    applied(connection, typed_body.read(model, body))
