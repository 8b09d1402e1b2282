"""The life of a report: its statuses and which moves the landlord's agent may make."""

from __future__ import annotations

from core.domain.errors import N_

RECEIVED = "received"
ACKNOWLEDGED = "acknowledged"
SCHEDULED = "scheduled"
RESOLVED = "resolved"
CLOSED = "closed"
NOT_RESPONSIBLE = "not_responsible"
DUPLICATE = "duplicate"

STATUSES: tuple[str, ...] = (
    RECEIVED,
    ACKNOWLEDGED,
    SCHEDULED,
    RESOLVED,
    CLOSED,
    NOT_RESPONSIBLE,
    DUPLICATE,
)
OPEN: frozenset[str] = frozenset({RECEIVED, ACKNOWLEDGED, SCHEDULED})

LABELS = {
    RECEIVED: N_("Received"),
    ACKNOWLEDGED: N_("Read by the landlord"),
    SCHEDULED: N_("Visit planned"),
    RESOLVED: N_("Solved"),
    CLOSED: N_("Closed"),
    NOT_RESPONSIBLE: N_("Not for the landlord to fix"),
    DUPLICATE: N_("Already reported"),
}

EXPLANATIONS = {
    RECEIVED: N_("Your landlord has received the report."),
    ACKNOWLEDGED: N_("Your landlord has read the report and is dealing with it."),
    SCHEDULED: N_("A visit or repair is planned."),
    RESOLVED: N_("The landlord says the problem is solved."),
    CLOSED: N_("The report is finished."),
    NOT_RESPONSIBLE: N_("The landlord says this is not for them to fix."),
    DUPLICATE: N_("This problem was already reported. Follow the other report."),
}

_MOVES: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({ACKNOWLEDGED, SCHEDULED, RESOLVED, NOT_RESPONSIBLE, DUPLICATE}),
    ACKNOWLEDGED: frozenset({SCHEDULED, RESOLVED, NOT_RESPONSIBLE, DUPLICATE}),
    # Scheduled again means the date moved.
    SCHEDULED: frozenset({SCHEDULED, RESOLVED, NOT_RESPONSIBLE, DUPLICATE}),
    # A solved problem that comes back is taken up again rather than filed anew.
    RESOLVED: frozenset({CLOSED, ACKNOWLEDGED}),
    NOT_RESPONSIBLE: frozenset({CLOSED, ACKNOWLEDGED}),
    DUPLICATE: frozenset({CLOSED}),
    CLOSED: frozenset(),
}

NEEDS_REASON: frozenset[str] = frozenset({NOT_RESPONSIBLE, DUPLICATE})


def next_statuses(status: str) -> list[str]:
    """Return the statuses a report in this status may move to, in display order."""
    return [s for s in STATUSES if s in _MOVES[status]]


def may_move(current: str, target: str) -> bool:
    """Tell whether a report may go from one status to another."""
    return target in _MOVES.get(current, frozenset())
