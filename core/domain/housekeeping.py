"""The box's regular tidying: what has ended is forgotten, unused profiles are warned then
anonymised, letters nobody downloaded are deleted. Run by the box agent every hour, by
the web service when it starts, and by ``residacoeur box housekeeping`` on a box without
a hub (a systemd timer)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from core.domain import erasure, expired, letter_batches, rate_limits, sessions, tv_pairings


def run(connection: Connection, config: dict[str, Any]) -> dict[str, int]:
    """Tidy the box; return what was done, for the log."""
    warned, anonymised = erasure.tidy_unused(
        connection, config["inactive_after_days"], config["inactive_warning_days"]
    )
    return {
        "ended": expired.forget(connection),
        "warned": warned,
        "anonymised": anonymised,
        "letters_deleted": letter_batches.forget_old(config["data_dir"]),
        "tv_pairings_ended": tv_pairings.forget_ended(connection),
        **signing_in(connection),
    }


def signing_in(connection: Connection) -> dict[str, int]:
    """Forget sessions that ran out and failed attempts that leaked away (box and hub)."""
    return {
        "sessions_ended": sessions.forget_ended(connection),
        "attempts_forgotten": rate_limits.forget_cleared(connection),
    }
