"""Keeping the place civil: households flag, caretakers decide.

Anyone can flag a post, a comment, a private message or a person, with a reason; a
household flags a thing once. What three different households flag is hidden until a
caretaker of the building looks at it. The caretaker's queue holds everything flagged
and not yet decided; for each the caretaker hides or restores it, warns its author or
suspends them for some days. The author is told what happened and why, and every
decision is in the audit log.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select, update

from core.domain import (
    audit,
    conversations,
    noticeboard,
    notifications,
    typed_text,
)
from core.domain.clock import new_id, utcnow
from core.domain.errors import N_, DomainError, NotFound
from core.messages import noticeboard as link_messages
from core.storage.schema import (
    buildings,
    dwellings,
    flags,
    post_comments,
    posts,
    profiles,
)

REASONS: dict[str, str] = {
    "rude": N_("Rude or hurtful"),
    "discrimination": N_("Racist or discriminating"),
    "private": N_("Shows someone's private life"),
    "selling": N_("Selling or advertising"),
    "danger": N_("Dangerous or illegal"),
    "other": N_("Something else"),
}
# What a caretaker may decide on a flagged thing; hide and restore apply to HIDEABLE only.
DECISIONS: dict[str, str] = {
    "dismiss": N_("Nothing wrong: leave it"),
    "hide": N_("Hide it"),
    "restore": N_("Put it back"),
    "warn": N_("Warn the author"),
    "suspend": N_("Suspend the author"),
}
# Three households, not three people: one family cannot hide a neighbour's post alone.
HIDE_AFTER_HOUSEHOLDS = 3
SUSPENSION_DAYS = (3, 7, 30)
# What can be hidden, and the table that holds it.
HIDEABLE = {"post": posts, "comment": post_comments}
TARGETS = ("post", "comment", "message", "profile")


def _author_and_buildings(
    connection: Connection, kind: str, target_id: str
) -> tuple[str | None, set[str]]:
    """Return who wrote the flagged thing (or who is flagged), and the buildings whose
    caretakers decide on it."""
    if kind in HIDEABLE:
        post_id = target_id
        if kind == "comment":
            post_id = connection.execute(
                select(post_comments.c.post_id).where(post_comments.c.id == target_id)
            ).scalar()
        table = HIDEABLE[kind]
        author = connection.execute(
            select(table.c.author_profile_id).where(table.c.id == target_id)
        ).first()
        post = connection.execute(
            select(posts.c.building_id, posts.c.residence_id).where(posts.c.id == post_id)
        ).first()
        if author is None or post is None:
            raise NotFound("target_not_found", N_("This no longer exists."))
        # A residence post from another box is looked after here by the caretakers of the
        # residence's buildings on this box.
        local = set(
            connection.execute(
                select(buildings.c.id).where(buildings.c.residence_id == post.residence_id)
            ).scalars()
        )
        return author.author_profile_id, {post.building_id} & local or local
    author = target_id if kind == "profile" else conversations.author_of(connection, target_id)
    if author is None:
        return None, set()
    building = connection.execute(
        select(dwellings.c.building_id)
        .join(profiles, profiles.c.dwelling_id == dwellings.c.id)
        .where(profiles.c.id == author)
    ).scalar()
    return author, {building} if building else set()


def flag(
    connection: Connection,
    profile: dict[str, Any],
    kind: str,
    target_id: str,
    reason: str,
    note: str = "",
) -> bool:
    """Flag something for the caretaker; return whether it is now hidden."""
    if kind not in TARGETS:
        raise NotFound("target_not_found", N_("This no longer exists."))
    if reason not in REASONS:
        raise DomainError("reason_unknown", N_("Choose a reason."), "reason")
    note = typed_text.text(note, "note", 1000)
    _seen(connection, profile, kind, target_id)
    author, _buildings = _author_and_buildings(connection, kind, target_id)
    if author == profile["id"]:
        raise DomainError("flag_own", N_("You cannot flag what you wrote yourself."))
    already = connection.execute(
        select(flags.c.id, flags.c.settled_at).where(
            flags.c.target_kind == kind,
            flags.c.target_id == target_id,
            flags.c.reporter_dwelling_id == profile["dwelling_id"],
        )
    ).first()
    flagged = {
        "reporter_profile_id": profile["id"],
        "reason": reason,
        "note": note,
        "created_at": utcnow(),
    }
    if already is None:
        connection.execute(
            flags.insert().values(
                id=new_id(),
                target_kind=kind,
                target_id=target_id,
                reporter_dwelling_id=profile["dwelling_id"],
                **flagged,
            )
        )
    elif already.settled_at is not None:
        # The caretaker decided on an earlier flag of this household: flagged again, it
        # waits for them again (one flag per household, so it counts once).
        connection.execute(
            update(flags).where(flags.c.id == already.id).values(settled_at=None, **flagged)
        )
    households = connection.execute(
        select(func.count(func.distinct(flags.c.reporter_dwelling_id))).where(
            flags.c.target_kind == kind,
            flags.c.target_id == target_id,
            flags.c.settled_at.is_(None),
        )
    ).scalar_one()
    if kind in HIDEABLE and households >= HIDE_AFTER_HOUSEHOLDS:
        if _hide(connection, kind, target_id, "flags") and author is not None:
            notifications.tell(
                connection,
                [author],
                "moderation",
                target_id,
                target_kind=kind,
                decision="hidden_by_flags",
            )
        return True
    return False


def _seen(connection: Connection, profile: dict[str, Any], kind: str, target_id: str) -> None:
    """Refuse to flag what the person cannot see: only what is in front of them."""
    if kind == "post":
        noticeboard.get(connection, profile, target_id)
    elif kind == "comment":
        post_id = connection.execute(
            select(post_comments.c.post_id).where(post_comments.c.id == target_id)
        ).scalar()
        if post_id is None:
            raise NotFound("target_not_found", N_("This no longer exists."))
        noticeboard.get(connection, profile, post_id)
    elif kind == "message" and not conversations.is_member(connection, profile["id"], target_id):
        raise NotFound("target_not_found", N_("This no longer exists."))
    elif kind == "profile":
        conversations.person(connection, target_id)


def _hide(connection: Connection, kind: str, target_id: str, by: str) -> bool:
    table = HIDEABLE[kind]
    now = utcnow()
    hidden = (
        connection.execute(
            update(table)
            .where(table.c.id == target_id, table.c.hidden_at.is_(None))
            .values(hidden_at=now, hidden_by=by)
        ).rowcount
        == 1
    )
    if hidden:
        _tell_hub(connection, kind, target_id, now, by)
    return hidden


def _tell_hub(
    connection: Connection, kind: str, target_id: str, hidden_at: Any, hidden_by: str | None
) -> None:
    """The residence's other boxes hide (or put back) a residence post as this box did."""
    post_id = target_id
    if kind == "comment":
        post_id = connection.execute(
            select(post_comments.c.post_id).where(post_comments.c.id == target_id)
        ).scalar_one()
    link_messages.post_moderated(connection, post_id, kind, target_id, hidden_at, hidden_by)


def _put_back(
    connection: Connection, kind: str, target_id: str, only_by: str | None = None
) -> bool:
    """Show a hidden post or answer again (``only_by``: only if hidden that way), here and
    on the residence's other boxes; return whether it was hidden."""
    table = HIDEABLE[kind]
    hidden = [table.c.id == target_id, table.c.hidden_at.is_not(None)]
    if only_by is not None:
        hidden.append(table.c.hidden_by == only_by)
    shown = (
        connection.execute(
            update(table).where(*hidden).values(hidden_at=None, hidden_by=None)
        ).rowcount
        == 1
    )
    if shown:
        _tell_hub(connection, kind, target_id, None, None)
    return shown


def copy_hiding(
    connection: Connection,
    kind: str,
    target_id: str,
    hidden_at: datetime | None,
    hidden_by: str | None,
) -> None:
    """Hide a post or an answer (``kind``) as the other side of the link did, or put it
    back (``hidden_at`` None)."""
    table = HIDEABLE[kind]
    connection.execute(
        update(table)
        .where(table.c.id == target_id)
        .values(hidden_at=hidden_at, hidden_by=hidden_by)
    )


def queue(connection: Connection, building_ids: list[str]) -> list[dict[str, Any]]:
    """Return what waits for a caretaker of these buildings: each flagged thing once,
    with its flags, most flagged first."""
    rows = connection.execute(
        select(flags).where(flags.c.settled_at.is_(None)).order_by(flags.c.created_at)
    ).mappings()
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["target_kind"], row["target_id"])
        if key not in grouped:
            try:
                author, responsible = _author_and_buildings(connection, *key)
            except NotFound:
                # Taken down since it was flagged: nothing is left to decide.
                _settle(connection, *key)
                grouped[key] = {}
                continue
            if not responsible & set(building_ids):
                grouped[key] = {}
                continue
            grouped[key] = {
                "kind": key[0],
                "target_id": key[1],
                "author_profile_id": author,
                "flags": [],
                "target": describe(connection, *key),
            }
        if grouped[key]:
            grouped[key]["flags"].append(dict(row))
    items = [item for item in grouped.values() if item]
    for item in items:
        item["households"] = len({f["reporter_dwelling_id"] for f in item["flags"]})
    return sorted(items, key=lambda item: -item["households"])


def describe(connection: Connection, kind: str, target_id: str) -> dict[str, Any]:
    """Return what the caretaker needs to see of a flagged thing."""
    if kind in HIDEABLE:
        table = HIDEABLE[kind]
        row = connection.execute(select(table).where(table.c.id == target_id)).mappings().one()
        return dict(row)
    if kind == "profile":
        row = (
            connection.execute(
                select(
                    profiles.c.id,
                    profiles.c.display_name.label("author_name"),
                    profiles.c.suspended_until,
                ).where(profiles.c.id == target_id)
            )
            .mappings()
            .one()
        )
        return dict(row)
    return conversations.message_for_moderator(connection, target_id)


def _settle(connection: Connection, kind: str, target_id: str) -> None:
    connection.execute(
        update(flags)
        .where(
            flags.c.target_kind == kind,
            flags.c.target_id == target_id,
            flags.c.settled_at.is_(None),
        )
        .values(settled_at=utcnow())
    )


def _in_reach(
    connection: Connection, caretaker: dict[str, Any], kind: str, target_id: str
) -> str | None:
    author, responsible = _author_and_buildings(connection, kind, target_id)
    if not responsible & set(caretaker["building_ids"]):
        raise NotFound("target_not_found", N_("This no longer exists."))
    return author


def _reason(reason: str) -> str:
    return typed_text.text(
        reason, "reason", 1000, N_("Say why, in a few words: the author will read it.")
    )


def decide(
    connection: Connection,
    caretaker: dict[str, Any],
    kind: str,
    target_id: str,
    decision: str,
    reason: str,
    days: int | None = None,
) -> None:
    """Apply a caretaker's decision on a flagged thing, tell its author why, and log it.

    ``decision``: one of DECISIONS; "suspend" lasts ``days``.
    """
    author = _in_reach(connection, caretaker, kind, target_id)
    if decision == "dismiss":
        # Nothing for the author to read unless the flags had hidden it: then it is back.
        reason = typed_text.text(reason, "reason", 1000)
        if not (kind in HIDEABLE and _put_back(connection, kind, target_id, only_by="flags")):
            author = None
    else:
        reason = _reason(reason)
    if decision in ("hide", "restore"):
        if kind not in HIDEABLE:
            raise DomainError("decision_unknown", N_("Choose one of the decisions shown."))
        if decision == "hide":
            _hide(connection, kind, target_id, "moderator")
        else:
            _put_back(connection, kind, target_id)
    elif decision == "suspend":
        if days not in SUSPENSION_DAYS or author is None:
            raise DomainError("days_unknown", N_("Choose how many days."), "days")
        connection.execute(
            update(profiles)
            .where(profiles.c.id == author)
            .values(suspended_until=utcnow() + timedelta(days=days), suspension_reason=reason)
        )
    elif decision not in ("warn", "dismiss"):
        raise DomainError("decision_unknown", N_("Choose one of the decisions shown."))
    _settle(connection, kind, target_id)
    if author is not None:
        notifications.tell(
            connection,
            [author],
            "moderation",
            target_id,
            target_kind=kind,
            decision=decision,
            reason=reason,
            days=days,
        )
    audit.record(
        connection,
        caretaker["id"],
        f"moderation.{decision}",
        f"{kind}:{target_id}",
        reason=reason,
        days=days,
    )
