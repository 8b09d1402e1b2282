"""Private messages between residents of the box.

Two people write to each other in one conversation. Neither sees the other's phone
number or flat: only their name, and the contact detail its owner chose to show, if any.
Anyone can block a person, who then can no longer write to them, and flag a message for
the caretaker (``moderation``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, delete, func, or_, select, update
from sqlalchemy.orm import aliased

from core.domain import charter, notifications, typed_text
from core.domain.clock import new_id, utcnow
from core.domain.errors import N_, DomainError, NotFound
from core.storage.schema import (
    blocks,
    buildings,
    conversation_members,
    conversations,
    dwellings,
    messages,
    profiles,
)

MAX_MESSAGE = 2000


def person(connection: Connection, profile_id: str) -> dict[str, Any]:
    """Return a resident of this box as others see them: name, building, chosen contact."""
    row = (
        connection.execute(
            select(
                profiles.c.id,
                profiles.c.display_name,
                profiles.c.contact,
                buildings.c.name.label("building_name"),
            )
            .join(dwellings, dwellings.c.id == profiles.c.dwelling_id)
            .join(buildings, buildings.c.id == dwellings.c.building_id)
            .where(profiles.c.id == profile_id, profiles.c.left_at.is_(None))
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("person_not_found", N_("This person is no longer on the portal."))
    return dict(row)


def _blocked_between(connection: Connection, one: str, other: str) -> bool:
    return (
        connection.execute(
            select(blocks.c.created_at).where(
                or_(
                    and_(blocks.c.blocker_profile_id == one, blocks.c.blocked_profile_id == other),
                    and_(blocks.c.blocker_profile_id == other, blocks.c.blocked_profile_id == one),
                )
            )
        ).first()
        is not None
    )


def _clean(body: str) -> str:
    return typed_text.text(body, "body", MAX_MESSAGE, N_("Write a few words."))


def _between(connection: Connection, one: str, other: str) -> str | None:
    mine = aliased(conversation_members)
    theirs = aliased(conversation_members)
    return connection.execute(
        select(mine.c.conversation_id)
        .join(theirs, theirs.c.conversation_id == mine.c.conversation_id)
        .where(mine.c.profile_id == one, theirs.c.profile_id == other)
    ).scalar()


def write(connection: Connection, profile: dict[str, Any], to_profile_id: str, body: str) -> str:
    """Send a message to another resident; return the conversation's id."""
    if to_profile_id == profile["id"]:
        raise DomainError("message_self", N_("You cannot write to yourself."))
    other = person(connection, to_profile_id)
    body = _clean(body)
    charter.may_write(connection, profile)
    if _blocked_between(connection, profile["id"], to_profile_id):
        raise DomainError("blocked", N_("You cannot write to this person."))
    now = utcnow()
    conversation_id = _between(connection, profile["id"], to_profile_id)
    if conversation_id is None:
        conversation_id = new_id()
        connection.execute(
            conversations.insert().values(id=conversation_id, created_at=now, updated_at=now)
        )
        connection.execute(
            conversation_members.insert(),
            [
                {"conversation_id": conversation_id, "profile_id": profile["id"]},
                {"conversation_id": conversation_id, "profile_id": other["id"]},
            ],
        )
    _add(connection, profile, conversation_id, body, other["id"])
    return conversation_id


def _add(
    connection: Connection, profile: dict[str, Any], conversation_id: str, body: str, to: str
) -> None:
    now = utcnow()
    connection.execute(
        messages.insert().values(
            id=new_id(),
            conversation_id=conversation_id,
            author_profile_id=profile["id"],
            body=body,
            created_at=now,
        )
    )
    connection.execute(
        update(conversations).where(conversations.c.id == conversation_id).values(updated_at=now)
    )
    connection.execute(
        update(conversation_members)
        .where(
            conversation_members.c.conversation_id == conversation_id,
            conversation_members.c.profile_id == profile["id"],
        )
        .values(last_read_at=now)
    )
    notifications.tell(connection, [to], "message", conversation_id, name=profile["display_name"])


def _other_member(connection: Connection, profile_id: str, conversation_id: str) -> str:
    members = set(
        connection.execute(
            select(conversation_members.c.profile_id).where(
                conversation_members.c.conversation_id == conversation_id
            )
        ).scalars()
    )
    if profile_id not in members:
        raise NotFound("conversation_not_found", N_("This conversation does not exist."))
    others = members - {profile_id}
    return next(iter(others)) if others else profile_id


def reply(connection: Connection, profile: dict[str, Any], conversation_id: str, body: str) -> None:
    """Answer in a conversation one is part of."""
    other = _other_member(connection, profile["id"], conversation_id)
    body = _clean(body)
    charter.may_write(connection, profile)
    if _blocked_between(connection, profile["id"], other):
        raise DomainError("blocked", N_("You cannot write to this person."))
    person(connection, other)
    _add(connection, profile, conversation_id, body, other)


def inbox(connection: Connection, profile: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the person's conversations, latest first, with the other person and whether
    something new is there."""
    mine = aliased(conversation_members)
    theirs = aliased(conversation_members)
    last_message = (
        select(func.max(messages.c.created_at))
        .where(
            messages.c.conversation_id == mine.c.conversation_id,
            messages.c.author_profile_id != profile["id"],
        )
        .scalar_subquery()
    )
    rows = connection.execute(
        select(
            conversations.c.id,
            conversations.c.updated_at,
            mine.c.last_read_at,
            last_message.label("last_received_at"),
            profiles.c.id.label("other_id"),
            profiles.c.display_name.label("other_name"),
        )
        .join(mine, mine.c.conversation_id == conversations.c.id)
        .join(
            theirs,
            and_(
                theirs.c.conversation_id == conversations.c.id,
                theirs.c.profile_id != profile["id"],
            ),
        )
        .join(profiles, profiles.c.id == theirs.c.profile_id)
        .where(mine.c.profile_id == profile["id"])
        .order_by(conversations.c.updated_at.desc())
    ).mappings()
    return [
        {
            **row,
            "unread": row["last_received_at"] is not None
            and (row["last_read_at"] is None or row["last_received_at"] > row["last_read_at"]),
        }
        for row in rows
    ]


def thread(connection: Connection, profile: dict[str, Any], conversation_id: str) -> dict[str, Any]:
    """Return a conversation with its messages and the other person."""
    other_id = _other_member(connection, profile["id"], conversation_id)
    other = (
        connection.execute(
            select(
                profiles.c.id, profiles.c.display_name, profiles.c.contact, profiles.c.left_at
            ).where(profiles.c.id == other_id)
        )
        .mappings()
        .one()
    )
    rows = connection.execute(
        select(messages)
        .where(messages.c.conversation_id == conversation_id)
        .order_by(messages.c.created_at, messages.c.id)
    ).mappings()
    return {
        "id": conversation_id,
        "other": dict(other),
        "messages": [{**row, "mine": row["author_profile_id"] == profile["id"]} for row in rows],
        "blocked": is_blocked(connection, profile["id"], other_id),
        "can_write": not _blocked_between(connection, profile["id"], other_id)
        and other["left_at"] is None,
    }


def mark_read(connection: Connection, profile_id: str, conversation_id: str) -> None:
    """Note that the person has read the conversation up to now."""
    connection.execute(
        update(conversation_members)
        .where(
            conversation_members.c.conversation_id == conversation_id,
            conversation_members.c.profile_id == profile_id,
        )
        .values(last_read_at=utcnow())
    )


def is_blocked(connection: Connection, blocker_id: str, blocked_id: str) -> bool:
    """Tell whether one person blocked the other."""
    return (
        connection.execute(
            select(blocks.c.created_at).where(
                blocks.c.blocker_profile_id == blocker_id,
                blocks.c.blocked_profile_id == blocked_id,
            )
        ).first()
        is not None
    )


def block(connection: Connection, profile: dict[str, Any], other_id: str) -> None:
    """Stop a person from writing to me (they are not told)."""
    if other_id == profile["id"]:
        raise DomainError("block_self", N_("You cannot block yourself."))
    person(connection, other_id)
    if not is_blocked(connection, profile["id"], other_id):
        connection.execute(
            blocks.insert().values(
                blocker_profile_id=profile["id"], blocked_profile_id=other_id, created_at=utcnow()
            )
        )


def unblock(connection: Connection, profile: dict[str, Any], other_id: str) -> None:
    """Let a person I blocked write to me again."""
    connection.execute(
        delete(blocks).where(
            blocks.c.blocker_profile_id == profile["id"], blocks.c.blocked_profile_id == other_id
        )
    )


def author_of(connection: Connection, message_id: str) -> str | None:
    """Return who wrote a message (for the caretaker's queue)."""
    row = connection.execute(
        select(messages.c.author_profile_id).where(messages.c.id == message_id)
    ).first()
    if row is None:
        raise NotFound("target_not_found", N_("This no longer exists."))
    return row.author_profile_id


def message_for_moderator(connection: Connection, message_id: str) -> dict[str, Any]:
    """Return a flagged message as the caretaker sees it: its text and author only."""
    row = (
        connection.execute(
            select(
                messages.c.id,
                messages.c.body,
                messages.c.created_at,
                messages.c.author_profile_id,
                profiles.c.display_name.label("author_name"),
            )
            .outerjoin(profiles, profiles.c.id == messages.c.author_profile_id)
            .where(messages.c.id == message_id)
        )
        .mappings()
        .one()
    )
    return dict(row)


def is_member(connection: Connection, profile_id: str, message_id: str) -> bool:
    """Tell whether a person can read a message (to flag it)."""
    return (
        connection.execute(
            select(messages.c.id)
            .join(
                conversation_members,
                conversation_members.c.conversation_id == messages.c.conversation_id,
            )
            .where(messages.c.id == message_id, conversation_members.c.profile_id == profile_id)
        ).first()
        is not None
    )
