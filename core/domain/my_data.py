"""Everything the box holds about a tenant, gathered for them to download.

The archive is a zip file: ``my-data.json`` with their profile, their home's reports
and what they wrote (posts, answers, messages sent and received, offers of help, events,
replies, requests for help, flags, notifications), and ``photos/`` with the photos of
their posts and of their reports. Staff never see it; only its owner asks for it.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Table, or_, select

from core.domain.clock import utcnow
from core.storage.schema import (
    calls,
    conversation_members,
    event_rsvps,
    events,
    flags,
    help_requests,
    messages,
    notifications,
    photos,
    post_comments,
    post_reactions,
    posts,
    profiles,
    report_messages,
    report_photos,
    reports,
    skills,
)


def _rows(connection: Connection, table: Table, *where: Any, leave: tuple = ()) -> list[dict]:
    columns = [c for c in table.columns if c.name not in leave]
    return [dict(row) for row in connection.execute(select(*columns).where(*where)).mappings()]


def gather(connection: Connection, profile: dict[str, Any]) -> dict[str, Any]:
    """Return what the box holds about the person, as plain data."""
    me = profile["id"]
    profile_row = _rows(connection, profiles, profiles.c.id == me, leave=("pin_hash",))[0]
    home_reports = _rows(connection, reports, reports.c.dwelling_id == profile["dwelling_id"])
    my_conversations = select(conversation_members.c.conversation_id).where(
        conversation_members.c.profile_id == me
    )
    return {
        "made_at": utcnow(),
        "profile": profile_row | {"building": profile["building_name"]},
        "home": {"reference": profile["dwelling_reference"]},
        "reports_of_my_home": home_reports,
        "my_messages_to_the_landlord": _rows(
            connection, report_messages, report_messages.c.author_profile_id == me
        ),
        "posts": _rows(connection, posts, posts.c.author_profile_id == me),
        "answers": _rows(connection, post_comments, post_comments.c.author_profile_id == me),
        "thanks": _rows(connection, post_reactions, post_reactions.c.reactor_id == me),
        "private_messages": _rows(
            connection, messages, messages.c.conversation_id.in_(my_conversations)
        ),
        "offers_and_requests_of_help": _rows(connection, skills, skills.c.profile_id == me),
        "events_organised": _rows(connection, events, events.c.organiser_profile_id == me),
        "event_replies": _rows(connection, event_rsvps, event_rsvps.c.profile_id == me),
        "requests_for_help": _rows(connection, help_requests, help_requests.c.profile_id == me),
        "flags_made": _rows(
            connection, flags, flags.c.reporter_profile_id == me, leave=("reporter_dwelling_id",)
        ),
        "notifications": _rows(connection, notifications, notifications.c.profile_id == me),
        "video_calls": _rows(
            connection,
            calls,
            or_(calls.c.caller_profile_id == me, calls.c.callee_profile_id == me),
        ),
    }


def _photo_ids(connection: Connection, profile: dict[str, Any]) -> list[str]:
    of_posts = select(posts.c.photo_id).where(
        posts.c.author_profile_id == profile["id"], posts.c.photo_id.is_not(None)
    )
    of_reports = (
        select(report_photos.c.photo_id)
        .join(reports)
        .where(
            or_(
                reports.c.author_profile_id == profile["id"],
                reports.c.dwelling_id == profile["dwelling_id"],
            )
        )
    )
    return sorted(set(connection.execute(of_posts.union(of_reports)).scalars()))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} does not go into JSON")


def archive(connection: Connection, profile: dict[str, Any]) -> bytes:
    """Return the zip archive of the person's data and photos."""
    data = gather(connection, profile)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(
            "my-data.json", json.dumps(data, ensure_ascii=False, indent=2, default=_plain)
        )
        for photo_id in _photo_ids(connection, profile):
            jpeg = connection.execute(select(photos.c.jpeg).where(photos.c.id == photo_id)).scalar()
            if jpeg is not None:
                zipped.writestr(f"photos/{photo_id}.jpg", jpeg)
    return out.getvalue()
