"""Erasing a tenant's profile, at their request or because it went unused.

Their name, PIN and contact go, their notifications, thanks, replies to events, offers
of help and blocks too. What they wrote for others — posts, answers, private messages —
is deleted or kept without a name, as they choose; an unused profile keeps it without a
name. Their home's reports stay: they are the landlord's record of the home, not the
person's. The profile's row stays, nameless, so what hangs on it still holds; it can no
longer sign in.

Unused profiles: a profile not seen for ``inactive_after_days`` is anonymised; its owner
is warned ``inactive_warning_days`` before, in case they come back.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, or_, select, update

from core.domain import calls, notifications
from core.domain.clock import utcnow
from core.domain.errors import N_, DomainError
from core.domain.passwords import hash_secret
from core.messages import events as event_messages
from core.messages import noticeboard as board_messages
from core.storage.schema import (
    blocks,
    event_rsvps,
    events,
    messages,
    post_comments,
    post_reactions,
    posts,
    profiles,
    reports,
    skills,
)
from core.storage.schema import (
    notifications as notification_table,
)

CHOICES = ("delete", "keep_anonymously")


def erase(connection: Connection, profile_id: str, what_i_wrote: str) -> None:
    """Erase a profile; ``what_i_wrote`` is "delete" or "keep_anonymously"."""
    if what_i_wrote not in CHOICES:
        raise DomainError(
            "choice_missing", N_("Choose what becomes of what you wrote."), "what_i_wrote"
        )
    my_posts = list(
        connection.execute(
            select(posts.c.id).where(posts.c.author_profile_id == profile_id)
        ).scalars()
    )
    my_comments = connection.execute(
        select(post_comments.c.id, post_comments.c.post_id).where(
            post_comments.c.author_profile_id == profile_id
        )
    ).all()
    if what_i_wrote == "delete":
        mine = select(posts.c.id).where(posts.c.author_profile_id == profile_id)
        connection.execute(delete(post_reactions).where(post_reactions.c.post_id.in_(mine)))
        connection.execute(delete(post_comments).where(post_comments.c.post_id.in_(mine)))
        connection.execute(delete(posts).where(posts.c.author_profile_id == profile_id))
        connection.execute(
            delete(post_comments).where(post_comments.c.author_profile_id == profile_id)
        )
        connection.execute(delete(messages).where(messages.c.author_profile_id == profile_id))
        for post_id in my_posts:
            board_messages.post_removed(connection, post_id)
        for comment in my_comments:
            if comment.post_id not in my_posts:
                board_messages.comment_removed(connection, comment.post_id, comment.id)
    else:
        for table in (posts, post_comments):
            connection.execute(
                update(table)
                .where(table.c.author_profile_id == profile_id)
                .values(author_profile_id=None, author_name=None)
            )
        connection.execute(
            update(messages)
            .where(messages.c.author_profile_id == profile_id)
            .values(author_profile_id=None)
        )
        # The hub and the residence's other boxes keep them without the name too.
        for post_id in my_posts:
            board_messages.post_published(connection, post_id)
        for comment in my_comments:
            board_messages.post_commented(connection, comment.id)
    name = connection.execute(
        select(profiles.c.display_name).where(profiles.c.id == profile_id)
    ).scalar_one()
    organised = list(
        connection.execute(
            select(events.c.id).where(events.c.organiser_profile_id == profile_id)
        ).scalars()
    )
    # An event keeps the group that organises it, but not the person's own name.
    connection.execute(
        update(events)
        .where(events.c.organiser_profile_id == profile_id, events.c.organiser == name)
        .values(organiser="—")
    )
    connection.execute(
        update(events)
        .where(events.c.organiser_profile_id == profile_id)
        .values(organiser_profile_id=None)
    )
    for event_id in organised:
        event_messages.event_published(connection, event_id)
    connection.execute(delete(post_reactions).where(post_reactions.c.reactor_id == profile_id))
    replied = list(
        connection.execute(
            select(event_rsvps.c.event_id).where(event_rsvps.c.profile_id == profile_id)
        ).scalars()
    )
    connection.execute(delete(event_rsvps).where(event_rsvps.c.profile_id == profile_id))
    now = utcnow()
    for event_id in replied:
        event_messages.event_replied(connection, event_id, profile_id, 0, now)
    connection.execute(delete(skills).where(skills.c.profile_id == profile_id))
    calls.forget(connection, profile_id)
    connection.execute(
        delete(blocks).where(
            or_(
                blocks.c.blocker_profile_id == profile_id, blocks.c.blocked_profile_id == profile_id
            )
        )
    )
    connection.execute(
        delete(notification_table).where(notification_table.c.profile_id == profile_id)
    )
    # The home's reports stay, without who filed them or how to reach them.
    connection.execute(
        update(reports)
        .where(reports.c.author_profile_id == profile_id)
        .values(household_name=None, household_contact=None)
    )
    connection.execute(
        update(profiles)
        .where(profiles.c.id == profile_id)
        .values(
            display_name="—",
            contact=None,
            suspension_reason=None,
            # Nobody knows this PIN: the profile can no longer be signed in to.
            pin_hash=hash_secret(profile_id + now.isoformat()),
            left_at=func.coalesce(profiles.c.left_at, now),
            erased_at=now,
        )
    )


def _last_seen():
    return func.coalesce(profiles.c.last_seen_at, profiles.c.created_at)


def tidy_unused(
    connection: Connection,
    after_days: int,
    warning_days: int,
    now: datetime | None = None,
) -> tuple[int, int]:
    """Warn the owners of profiles nearly unused for too long, anonymise those unused for
    too long after a warning; return how many were warned and anonymised."""
    if after_days <= 0:
        return 0, 0
    now = now or utcnow()
    live = (profiles.c.erased_at.is_(None), profiles.c.left_at.is_(None))
    warn_before = now - timedelta(days=after_days - warning_days)
    to_warn = list(
        connection.execute(
            select(profiles.c.id).where(
                *live, profiles.c.inactive_warned_at.is_(None), _last_seen() < warn_before
            )
        ).scalars()
    )
    if to_warn:
        notifications.tell(
            connection, to_warn, "inactive", None, days=warning_days, after_days=after_days
        )
        connection.execute(
            update(profiles).where(profiles.c.id.in_(to_warn)).values(inactive_warned_at=now)
        )
    to_erase = list(
        connection.execute(
            select(profiles.c.id).where(
                *live,
                profiles.c.inactive_warned_at <= now - timedelta(days=warning_days),
                _last_seen() < now - timedelta(days=after_days),
            )
        ).scalars()
    )
    for profile_id in to_erase:
        erase(connection, profile_id, "keep_anonymously")
    return len(to_warn), len(to_erase)


def seen(connection: Connection, profile: dict[str, Any]) -> None:
    """Note that the person used the portal (once a day at most, to spare the SD card);
    a warning about an unused profile no longer stands."""
    today = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    connection.execute(
        update(profiles)
        .where(
            profiles.c.id == profile["id"],
            or_(profiles.c.last_seen_at.is_(None), profiles.c.last_seen_at < today),
        )
        .values(last_seen_at=utcnow(), inactive_warned_at=None)
    )
