"""An operator's decision on a conflict: apply the box's message, or set it aside.

A conflict is a second message under a number the hub had already taken, with other
content (link/received.py). Either may be the box's real one, so the hub keeps it, and
names its number ``disputed`` in every acknowledgement: the box keeps its copy. Once an
operator decides, the number is no longer disputed, and the box deletes its copy at the
next acknowledgement.

What was applied under the number first stays applied: if it was someone else's, staff
remove its effect (a report, a post) as they would any other.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Connection, RowMapping, select, update

from core.domain import audit
from core.domain.clock import utcnow
from core.domain.errors import N_, DomainError, NotFound
from core.storage.schema import conflicts
from link.arrivals import at_hub
from link.envelope import SEQUENCED_UP, decode
from link.inbox import failure

log = logging.getLogger(__name__)

APPLY = "apply"
SET_ASIDE = "set_aside"
DECISIONS = (APPLY, SET_ASIDE)
# As long as the reasons of the messages kept aside (link/inbox.py).
REASON_LENGTH = 200


@dataclass(frozen=True)
class Outcome:
    """What came of a decision on the conflict under a box's number.

    ``refusal``: why the box's message could not be applied; the conflict then waits for
    a decision still, and nothing changed.
    """

    box_id: str
    seq: int
    refusal: str | None = None


def _record(connection: Connection, conflict_id: int, decision: str, operator: str) -> bool:
    # Only a conflict still undecided: two operators deciding at once, one wins.
    return (
        connection.execute(
            update(conflicts)
            .where(conflicts.c.id == conflict_id, conflicts.c.decided_at.is_(None))
            .values(decided_at=utcnow(), decision=decision, decided_by=operator)
        ).rowcount
        == 1
    )


def _refusal(connection: Connection, conflict: RowMapping) -> str | None:
    def apply() -> None:
        envelope = decode(conflict["payload"], SEQUENCED_UP)
        at_hub.apply(connection, conflict["peer_id"], envelope.kind, envelope.body)

    error = failure(connection, apply)
    if error is None:
        return None
    # A database's error goes on with the statement and its values: its first line says why.
    return (str(error) or type(error).__name__).splitlines()[0][:REASON_LENGTH]


def decide(connection: Connection, conflict_id: int, decision: str, operator: str) -> Outcome:
    """Apply the box's message kept in a conflict (APPLY), or set it aside (SET_ASIDE), as
    the operator (a staff id) decided, and write it in the audit log.

    Raises NotFound for a conflict that does not exist, DomainError for one already
    decided or a decision not known.
    """
    if decision not in DECISIONS:
        raise DomainError("decision_unknown", N_("Choose what to do with the message."))
    found = connection.execute(select(conflicts).where(conflicts.c.id == conflict_id))
    conflict = found.mappings().first()
    if conflict is None:
        raise NotFound("conflict_unknown", N_("This conflict does not exist."))
    outcome = Outcome(conflict["peer_id"], conflict["seq"])
    with connection.begin_nested() as deciding:
        if not _record(connection, conflict_id, decision, operator):
            raise DomainError(
                "conflict_decided",
                N_("The message under number %(seq)d was already decided: nothing changed."),
                seq=outcome.seq,
            )
        refusal = _refusal(connection, conflict) if decision == APPLY else None
        if refusal is not None:
            deciding.rollback()
            log.info("box %s #%d not applied: %s", outcome.box_id, outcome.seq, refusal)
            return Outcome(outcome.box_id, outcome.seq, refusal)
        audit.record(
            connection,
            operator,
            f"conflict.{decision}",
            f"box:{outcome.box_id}",
            seq=outcome.seq,
            conflict=conflict_id,
        )
    return outcome
