"""The skills exchange: residents offer or ask for help, across generations and cultures.

Homework, small repairs, computer help, shopping for an elderly neighbour, language
practice, cooking. Offers and requests are seen by the residence's tenants on the box;
a neighbour answers with a private message, which shows neither phone number nor flat.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, update

from core.domain import charter, typed_text
from core.domain.clock import new_id, utcnow
from core.domain.errors import N_, DomainError, FieldChecks, NotFound
from core.storage.schema import profiles, skills

KINDS: dict[str, str] = {
    "offer": N_("I offer my help"),
    "request": N_("I am looking for help"),
}
CATEGORIES: dict[str, str] = {
    "homework": N_("Homework"),
    "diy": N_("Small repairs and DIY"),
    "computer": N_("Computer and phone help"),
    "shopping": N_("Shopping and errands"),
    "language": N_("Language practice"),
    "cooking": N_("Cooking"),
    "other": N_("Something else"),
}
MAX_TITLE = 140
MAX_DESCRIPTION = 2000


def add(
    connection: Connection,
    profile: dict[str, Any],
    kind: str,
    category: str,
    title: str,
    description: str,
) -> str:
    """Offer or ask for help; return the id of the offer or request. Every field wrong
    is refused at once."""
    checks = FieldChecks()
    if kind not in KINDS:
        checks.refuse(
            DomainError("kind_unknown", N_("Say whether you offer or look for help."), "kind")
        )
    if category not in CATEGORIES:
        checks.refuse(DomainError("category_unknown", N_("Choose what kind of help."), "category"))
    title = checks.check(lambda: typed_text.line(title, "title", MAX_TITLE, N_("Give it a title.")))
    description = checks.check(
        lambda: typed_text.text(
            description, "description", MAX_DESCRIPTION, N_("Write a few words.")
        )
    )
    checks.check(lambda: charter.may_write(connection, profile))
    checks.done()
    skill_id = new_id()
    connection.execute(
        skills.insert().values(
            id=skill_id,
            kind=kind,
            category=category,
            title=title,
            description=description,
            profile_id=profile["id"],
            residence_id=profile["residence_id"],
            created_at=utcnow(),
        )
    )
    return skill_id


def _listed():
    return (
        select(skills, profiles.c.display_name.label("author_name"))
        .join(profiles, profiles.c.id == skills.c.profile_id)
        .where(skills.c.closed_at.is_(None), profiles.c.left_at.is_(None))
    )


def browse(
    connection: Connection,
    profile: dict[str, Any],
    kind: str | None = None,
    category: str | None = None,
) -> list[dict[str, Any]]:
    """Return the open offers and requests of the person's residence, newest first."""
    query = _listed().where(skills.c.residence_id == profile["residence_id"])
    if kind in KINDS:
        query = query.where(skills.c.kind == kind)
    if category in CATEGORIES:
        query = query.where(skills.c.category == category)
    rows = connection.execute(query.order_by(skills.c.created_at.desc(), skills.c.id))
    return [{**row, "mine": row["profile_id"] == profile["id"]} for row in rows.mappings()]


def get(connection: Connection, profile: dict[str, Any], skill_id: str) -> dict[str, Any]:
    """Return one open offer or request of the person's residence."""
    row = (
        connection.execute(
            _listed().where(
                skills.c.id == skill_id, skills.c.residence_id == profile["residence_id"]
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("skill_not_found", N_("This offer or request is no longer open."))
    return {**row, "mine": row["profile_id"] == profile["id"]}


def close(connection: Connection, profile: dict[str, Any], skill_id: str) -> None:
    """Close one's own offer or request (found someone, or no longer needed)."""
    closed = connection.execute(
        update(skills)
        .where(
            skills.c.id == skill_id,
            skills.c.profile_id == profile["id"],
            skills.c.closed_at.is_(None),
        )
        .values(closed_at=utcnow())
    ).rowcount
    if not closed:
        raise NotFound("skill_not_found", N_("This offer or request is no longer open."))
