"""The box's regular tidying: what has ended is forgotten, unused profiles are warned then
anonymised. Run by the box agent every hour, by the web service when it starts, and by
``residacoeur box housekeeping`` on a box without a hub (a systemd timer)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from appliance.domain import erasure, expired


def run(connection: Connection, config: dict[str, Any]) -> dict[str, int]:
    """Tidy the box; return what was done, for the log."""
    warned, anonymised = erasure.tidy_unused(
        connection, config["inactive_after_days"], config["inactive_warning_days"]
    )
    return {"ended": expired.forget(connection), "warned": warned, "anonymised": anonymised}
