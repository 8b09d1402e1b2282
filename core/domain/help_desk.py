"""Asking for help with the portal: a tenant says what is hard, the building's digital
mediator or caretaker answers — in the portal, or by coming to see them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, update

from core.domain import audit, notifications, typed_text
from core.domain.clock import new_id, utcnow
from core.domain.errors import N_, DomainError, FieldChecks, NotFound
from core.storage.schema import dwellings, help_requests, profiles

TOPICS: dict[str, str] = {
    "signing_in": N_("Signing in, my code or my PIN"),
    "report": N_("Reporting a problem to the landlord"),
    "messages": N_("Messages and the noticeboard"),
    "phone": N_("Using my phone, tablet or TV"),
    "forms": N_("Online forms (family allowances, taxes…)"),
    "other": N_("Something else"),
}
WAYS: dict[str, str] = {
    "portal": N_("Answer me here, in the portal"),
    "visit": N_("Come and see me at home"),
    "office": N_("I will come to the office"),
}
MAX_TEXT = 2000


def ask(connection: Connection, profile: dict[str, Any], topic: str, message: str, how: str) -> str:
    """Ask the building's mediator or caretaker for help; return the request's id.
    Every field wrong is refused at once."""
    checks = FieldChecks()
    if topic not in TOPICS:
        checks.refuse(DomainError("topic_unknown", N_("Choose what you need help with."), "topic"))
    if how not in WAYS:
        checks.refuse(
            DomainError("how_unknown", N_("Choose how you would like to be helped."), "how")
        )
    message = checks.check(lambda: typed_text.text(message, "message", MAX_TEXT))
    checks.done()
    request_id = new_id()
    connection.execute(
        help_requests.insert().values(
            id=request_id,
            profile_id=profile["id"],
            building_id=profile["building_id"],
            topic=topic,
            message=message,
            how=how,
            created_at=utcnow(),
        )
    )
    return request_id


def mine(connection: Connection, profile: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the person's requests for help, newest first, with their answers."""
    rows = connection.execute(
        select(help_requests)
        .where(help_requests.c.profile_id == profile["id"])
        .order_by(help_requests.c.created_at.desc())
    ).mappings()
    return [dict(row) for row in rows]


def waiting(connection: Connection, building_ids: list[str]) -> list[dict[str, Any]]:
    """Return the requests of these buildings not answered yet, oldest first, with who
    asked (their name, and the flat only when they asked for a visit)."""
    rows = connection.execute(
        select(
            help_requests,
            profiles.c.display_name,
            dwellings.c.reference.label("dwelling_reference"),
        )
        .outerjoin(profiles, profiles.c.id == help_requests.c.profile_id)
        .outerjoin(dwellings, dwellings.c.id == profiles.c.dwelling_id)
        .where(help_requests.c.building_id.in_(building_ids), help_requests.c.answered_at.is_(None))
        .order_by(help_requests.c.created_at)
    ).mappings()
    return [
        {**row, "dwelling_reference": row["dwelling_reference"] if row["how"] == "visit" else None}
        for row in rows
    ]


def answer(connection: Connection, helper: dict[str, Any], request_id: str, text: str) -> None:
    """Answer a request of one of my buildings; the tenant is told (audited)."""
    row = (
        connection.execute(select(help_requests).where(help_requests.c.id == request_id))
        .mappings()
        .first()
    )
    if row is None or row["building_id"] not in helper["building_ids"]:
        raise NotFound("help_not_found", N_("This request for help does not exist."))
    text = typed_text.plain(text, "answer")
    if not text:
        raise DomainError("answer_missing", N_("Write your answer."), "answer")
    connection.execute(
        update(help_requests)
        .where(help_requests.c.id == request_id)
        .values(answered_at=utcnow(), answer=text[:MAX_TEXT], answered_by=helper["id"])
    )
    if row["profile_id"] is not None:
        notifications.tell(
            connection,
            [row["profile_id"]],
            "help_answered",
            request_id,
            name=helper["display_name"],
        )
    audit.record(connection, helper["id"], "help.answer", f"help:{request_id}")
