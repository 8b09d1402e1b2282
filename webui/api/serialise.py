"""The API's JSON shapes, built in one place so they match components/schemas exactly.

Ids are strings, instants are ISO 8601 in UTC with a ``Z``, days are ``YYYY-MM-DD``.
Labels are given already translated into the person's language, next to the codes,
so that simple clients (TV browsers) need no copy of the vocabulary.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import current_app, url_for

from appliance.domain import (
    events,
    help_desk,
    moderation,
    news,
    noticeboard,
    partners,
    people,
    roles,
    scope,
    skills,
)
from appliance.domain import report_status as rs
from appliance.domain import reports as domain_reports
from appliance.domain import response_times as domain_response_times
from webui.auth import place
from webui.i18n import translate
from webui.staff.moderation import DECISIONS

PERMISSIONS = (
    roles.MANAGE_DWELLINGS,
    roles.VIEW_REPORTS,
    roles.HANDLE_REPORTS,
    roles.PUBLISH_NEWS,
    roles.ANNOUNCE_WORKS,
    roles.VIEW_AUDIT,
    roles.VIEW_FLEET,
    roles.DECIDE_CONFLICTS,
    roles.VIEW_RESPONSE_TIMES,
    roles.MODERATE,
    roles.ANSWER_HELP,
    roles.PUBLISH_DEALS,
    roles.MANAGE_PARTNERS,
)


def instant(value: datetime | None) -> str | None:
    """Return a stored (naive UTC) time as ISO 8601 with its zone."""
    return value.isoformat(timespec="seconds") + "Z" if value else None


def day(value: date | None) -> str | None:
    """Return a calendar date as ISO 8601."""
    return value.isoformat() if value else None


def photo(photo_id: str) -> dict[str, str]:
    """Return a photo's id and the address of the page route that serves it.

    The hub has no portal: there, the staff pages serve them.
    """
    endpoint = "portal.photo" if "portal" in current_app.blueprints else "staff.photo"
    return {"id": photo_id, "url": url_for(endpoint, photo_id=photo_id)}


def profile(member: dict[str, Any]) -> dict[str, Any]:
    """Return the signed-in tenant's profile."""
    return {
        "id": member["id"],
        "display_name": member["display_name"],
        "locale": member["locale"],
        "text_size": member["text_size"],
        "dwelling": {"id": member["dwelling_id"], "reference": member["dwelling_reference"]},
        "building": {"id": member["building_id"], "name": member["building_name"]},
        "contact": member["contact"],
        "charter_accepted": member["charter_accepted_at"] is not None,
    }


def staff_member(member: dict[str, Any], buildings: list[dict[str, Any]]) -> dict[str, Any]:
    """Return a signed-in staff member with their buildings and what their role allows."""
    return {
        "id": member["id"],
        "username": member["username"],
        "display_name": member["display_name"],
        "role": member["role"],
        "role_label": translate(roles.ROLE_LABELS[member["role"]]),
        "locale": member["locale"],
        "permissions": [p for p in PERMISSIONS if roles.may(member["role"], p, place())],
        "buildings": [{"id": b["id"], "name": b["name"]} for b in buildings],
    }


def household(members: list[dict[str, Any]], needs_a_member: bool) -> dict[str, Any]:
    """Return who lives in the dwelling whose code was typed, whether one more may join,
    and whether a member must vouch for them."""
    return {
        "members": [{"id": m["id"], "display_name": m["display_name"]} for m in members],
        "first": not members,
        "may_join": len(members) < people.MAX_PROFILES_PER_DWELLING,
        "needs_a_member": needs_a_member,
    }


def news_item(item: dict[str, Any]) -> dict[str, Any]:
    """Return a news item with its publisher."""
    return {
        "id": item["id"],
        "title": item["title"],
        "body": item["body"],
        "publisher": _publisher(item),
        "scope": item["scope_kind"],
        "scope_label": translate(scope.SCOPE_LABELS[item["scope_kind"]]),
        "photo": photo(item["photo_id"]) if item["photo_id"] else None,
        "published_at": instant(item["published_at"]),
        "expires_at": instant(item["expires_at"]),
    }


def _publisher(item: dict[str, Any]) -> dict[str, str]:
    return {
        "name": item["publisher_name"],
        "kind": item["publisher_kind"],
        "kind_label": translate(news.PUBLISHER_KIND_LABELS[item["publisher_kind"]]),
    }


def works_notice(notice: dict[str, Any]) -> dict[str, Any]:
    """Return a works notice."""
    return {
        "id": notice["id"],
        "title": notice["title"],
        "location": notice["location"],
        "starts_on": day(notice["starts_on"]),
        "ends_on": day(notice["ends_on"]),
        "tenant_action": notice["tenant_action"],
        "publisher": _publisher(notice) if notice["publisher_name"] else None,
        "scope": notice["scope_kind"],
        "scope_label": translate(scope.SCOPE_LABELS[notice["scope_kind"]]),
        "photo": photo(notice["photo_id"]) if notice["photo_id"] else None,
        "published_at": instant(notice["published_at"]),
    }


def report(
    found: dict[str, Any], own: bool, supported: bool, delivered: bool = True
) -> dict[str, Any]:
    """Return a report as a tenant sees it in a list.

    ``delivered`` is False while the box still holds something of the report (itself, a
    message, a "me too") that the landlord has not received.
    """
    return {
        "id": found["id"],
        "number": found["number"],
        "category": found["category"],
        "category_label": translate(domain_reports.CATEGORIES[found["category"]]),
        "location": found["location"],
        "location_label": translate(domain_reports.LOCATIONS[found["location"]]),
        "description": found["description"],
        "status": found["status"],
        "status_label": translate(rs.LABELS[found["status"]]),
        "status_explanation": translate(rs.EXPLANATIONS[found["status"]]),
        "open": found["status"] in rs.OPEN,
        "scheduled_for": day(found["scheduled_for"]),
        "duplicate_of": found["duplicate_of"],
        "building": {"id": found["building_id"], "name": found["building_name"]},
        "me_too_count": found["me_too_count"],
        "photo_count": found["photo_count"],
        "own": own,
        "supported": supported,
        "delivered_to_landlord": delivered,
        "created_at": instant(found["created_at"]),
        "updated_at": instant(found["updated_at"]),
    }


def staff_report(found: dict[str, Any], delivered: bool = True) -> dict[str, Any]:
    """Return a report as staff see it: with the dwelling and the statuses it may move to."""
    return {
        **report(found, own=False, supported=False, delivered=delivered),
        "dwelling": {"id": found["dwelling_id"], "reference": found["dwelling_reference"]},
        "next_statuses": rs.next_statuses(found["status"]),
    }


def timeline_entry(entry: dict[str, Any], for_staff: bool) -> dict[str, Any]:
    """Return one status change or message; tenants see "the landlord", not the agent's name."""
    shown = {"kind": entry["kind"], "id": entry["id"], "at": instant(entry["created_at"])}
    if entry["kind"] == "status":
        return {
            **shown,
            "status": entry["status"],
            "status_label": translate(rs.LABELS[entry["status"]]),
            "note": entry["note"],
            "scheduled_for": day(entry["scheduled_for"]),
            "duplicate_of": entry["duplicate_of"],
            "staff_name": entry["staff_name"] if for_staff else None,
        }
    agent = entry["author_kind"] == "agent"
    return {
        **shown,
        "author_kind": entry["author_kind"],
        "author_name": (entry["staff_name"] if for_staff else None)
        if agent
        else entry["profile_name"],
        "body": entry["body"],
    }


def report_detail(
    summary: dict[str, Any],
    photo_ids: list[str],
    timeline: list[dict[str, Any]],
    for_staff: bool = False,
) -> dict[str, Any]:
    """Return a report with its photos and its timeline, oldest first."""
    return {
        **summary,
        "photos": [photo(photo_id) for photo_id in photo_ids],
        "timeline": [timeline_entry(entry, for_staff) for entry in timeline],
    }


def dwelling(found: dict[str, Any]) -> dict[str, Any]:
    """Return a dwelling with the state of its code and how many profiles live there."""
    return {
        "id": found["id"],
        "reference": found["reference"],
        "building": {"id": found["building_id"], "name": found["building_name"]},
        "staircase": found["staircase"],
        "floor": found["floor"],
        "code_issued_at": instant(found["code_issued_at"]),
        "code_activated_at": instant(found["code_activated_at"]),
        "profile_count": found["profile_count"],
        "created_at": instant(found["created_at"]),
    }


def audit_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """Return one line of the audit log."""
    return {
        "id": str(entry["id"]),
        "at": instant(entry["at"]),
        "actor": (
            {"id": entry["actor_staff_id"], "name": entry["actor_name"]}
            if entry["actor_staff_id"]
            else None
        ),
        "action": entry["action"],
        "target": entry["target"],
        "detail": entry["detail"],
    }


def box(found: dict[str, Any]) -> dict[str, Any]:
    """Return a box of the fleet as its status and telemetry last described it."""
    return {
        "id": found["id"],
        "label": found["label"],
        "buildings": [{"id": b["id"], "name": b["name"]} for b in found["buildings"]],
        "online": found["online"],
        "stale": found["stale"],
        "last_seen_at": instant(found["last_seen_at"]),
        "version": found["version"],
        "uptime_s": found["uptime_s"],
        "disk_free_bytes": found["disk_free_bytes"],
        "outbox_depth": found["outbox_depth"],
        "last_sync_at": instant(found["last_sync_at"]),
        "enrolled_at": instant(found["enrolled_at"]),
    }


def _times(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "received": row["received"],
        **{
            step: {
                "count": row[step]["count"],
                "median_s": row[step]["median"],
                "p90_s": row[step]["p90"],
            }
            for step in ("to_acknowledge", "to_resolve")
        },
    }


def response_times(found: dict[str, Any]) -> dict[str, Any]:
    """Return response times per building and per category, and the overdue reports."""
    return {
        "since": instant(found["since"]),
        "until": instant(found["until"]),
        "days": found["days"],
        "acknowledge_within_s": int(domain_response_times.ACKNOWLEDGE_WITHIN.total_seconds()),
        "resolve_within_s": int(domain_response_times.RESOLVE_WITHIN.total_seconds()),
        "by_building": [
            {"building": {"id": row["building_id"], "name": row["building_name"]}, **_times(row)}
            for row in found["by_building"]
        ],
        "by_category": [
            {
                "category": row["category"],
                "category_label": translate(domain_reports.CATEGORIES[row["category"]]),
                **_times(row),
            }
            for row in found["by_category"]
        ],
        "overdue": [
            {
                "id": late["id"],
                "number": late["number"],
                "building": {"id": late["building_id"], "name": late["building_name"]},
                "category": late["category"],
                "category_label": translate(domain_reports.CATEGORIES[late["category"]]),
                "status": late["status"],
                "status_label": translate(rs.LABELS[late["status"]]),
                "reason": late["reason"],
                "received_at": instant(late["created_at"]),
                "due_at": instant(late["due_at"]),
            }
            for late in found["overdue"]
        ],
    }


def neighbour(profile_id: str | None, name: str | None) -> dict[str, Any]:
    """Return a resident as neighbours see them: a name and an id to write to, never more.

    Both are null once the person erased their profile and kept what they wrote.
    """
    return {"id": profile_id, "display_name": name}


def post(found: dict[str, Any], me: str) -> dict[str, Any]:
    """Return a noticeboard post as ``me`` sees it in the list."""
    return {
        "id": found["id"],
        "category": found["category"],
        "category_label": translate(noticeboard.CATEGORIES[found["category"]]),
        "scope": found["scope"],
        "scope_label": translate(noticeboard.SCOPES[found["scope"]]),
        "title": found["title"],
        "body": found["body"],
        "photo": photo(found["photo_id"]) if found["photo_id"] else None,
        "author": neighbour(found["author_profile_id"], found["author_name"]),
        "building": {"id": found["building_id"], "name": found["building_name"]},
        "mine": found["author_profile_id"] == me,
        "hidden_by": found["hidden_by"] if found["hidden_at"] else None,
        "comment_count": found["comment_count"],
        "thanks_count": found["thanks_count"],
        "created_at": instant(found["created_at"]),
    }


def post_detail(found: dict[str, Any], me: str) -> dict[str, Any]:
    """Return a post with its answers, oldest first, and whether ``me`` thanked it."""
    # The author sees their own hidden answers too; the count is of those everyone sees.
    shown = [c for c in found["comments"] if c["hidden_at"] is None]
    return {
        **post({**found, "comment_count": len(shown)}, me),
        "thanked": found["thanked"],
        "comments": [
            {
                "id": c["id"],
                "author": neighbour(c["author_profile_id"], c["author_name"]),
                "body": c["body"],
                "mine": c["author_profile_id"] == me,
                "hidden_by": c["hidden_by"] if c["hidden_at"] else None,
                "created_at": instant(c["created_at"]),
            }
            for c in found["comments"]
        ],
    }


def conversation(found: dict[str, Any]) -> dict[str, Any]:
    """Return a conversation of the inbox: with whom, and whether something new is there."""
    return {
        "id": found["id"],
        "other": neighbour(found["other_id"], found["other_name"]),
        "unread": found["unread"],
        "updated_at": instant(found["updated_at"]),
    }


def thread(found: dict[str, Any]) -> dict[str, Any]:
    """Return a conversation with its messages, oldest first, and the other's contact."""
    # Only the contact its owner chose to show, if any: never their flat.
    other = found["other"]
    return {
        "id": found["id"],
        "other": {**neighbour(other["id"], other["display_name"]), "contact": other["contact"]},
        "blocked": found["blocked"],
        "can_write": found["can_write"],
        "messages": [
            {
                "id": m["id"],
                "mine": m["mine"],
                "body": m["body"],
                "created_at": instant(m["created_at"]),
            }
            for m in found["messages"]
        ],
    }


def event(found: dict[str, Any], me: str) -> dict[str, Any]:
    """Return an event with how many are coming and ``me``'s reply."""
    capacity = found["capacity"]
    return {
        "id": found["id"],
        "title": found["title"],
        "description": found["description"],
        "place": found["place"],
        "starts_at": instant(found["starts_at"]),
        "ends_at": instant(found["ends_at"]),
        "scope": found["scope"],
        "scope_label": translate(events.SCOPES[found["scope"]]),
        "organiser": neighbour(found["organiser_profile_id"], found["organiser"]),
        "mine": found["organiser_profile_id"] == me,
        "capacity": capacity,
        "coming": found["coming"],
        "places_left": None if capacity is None else max(0, capacity - found["coming"]),
        "my_people": found["my_people"],
        "cancelled_at": instant(found["cancelled_at"]),
    }


def skill(found: dict[str, Any]) -> dict[str, Any]:
    """Return an offer or a request of help."""
    return {
        "id": found["id"],
        "kind": found["kind"],
        "kind_label": translate(skills.KINDS[found["kind"]]),
        "category": found["category"],
        "category_label": translate(skills.CATEGORIES[found["category"]]),
        "title": found["title"],
        "description": found["description"],
        "author": neighbour(found["profile_id"], found["author_name"]),
        "mine": found["mine"],
        "created_at": instant(found["created_at"]),
    }


def deal(found: dict[str, Any]) -> dict[str, Any]:
    """Return a local shop's deal."""
    return {
        "id": found["id"],
        "title": found["title"],
        "description": found["description"],
        "shop": _publisher(
            {"publisher_name": found["shop_name"], "publisher_kind": found["shop_kind"]}
        ),
        "photo": photo(found["photo_id"]) if found["photo_id"] else None,
        "valid_from": day(found["valid_from"]),
        "valid_until": day(found["valid_until"]),
    }


def shop_deal(found: dict[str, Any], residence_names: dict[str, str]) -> dict[str, Any]:
    """Return a deal as its shop sees it: with the residences it targets."""
    return {
        **deal(found),
        "residences": [{"id": r, "name": residence_names[r]} for r in found["residence_ids"]],
    }


def service(found: dict[str, Any]) -> dict[str, Any]:
    """Return a partner's service of the directory."""
    return {
        "id": found["id"],
        "name": found["name"],
        "category": found["category"],
        "category_label": translate(partners.CATEGORIES[found["category"]]),
        "description": found["description"],
        "address": found["address"],
        "phone": found["phone"],
        "opening_hours": found["opening_hours"],
        "scope": found["scope_kind"],
        "scope_label": translate(scope.SCOPE_LABELS[found["scope_kind"]]),
        "updated_at": instant(found["updated_at"]),
    }


def _help_request(found: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": found["id"],
        "topic": found["topic"],
        "topic_label": translate(help_desk.TOPICS[found["topic"]]),
        "message": found["message"],
        "how": found["how"],
        "how_label": translate(help_desk.WAYS[found["how"]]),
        "created_at": instant(found["created_at"]),
    }


def help_request(found: dict[str, Any]) -> dict[str, Any]:
    """Return one of my requests for help, with its answer once given."""
    return {
        **_help_request(found),
        "answered_at": instant(found["answered_at"]),
        "answer": found["answer"],
    }


def waiting_help_request(found: dict[str, Any], building: dict[str, Any]) -> dict[str, Any]:
    """Return a request for help as the mediator sees it: who asked, and where for a visit."""
    return {
        **_help_request(found),
        "building": {"id": building["id"], "name": building["name"]},
        "display_name": found["display_name"],
        "dwelling_reference": found["dwelling_reference"],
    }


def notification(found: dict[str, Any]) -> dict[str, Any]:
    """Return a notification: what happened, what it is about, the words of its sentence."""
    return {
        "id": found["id"],
        "kind": found["kind"],
        "subject_id": found["subject_id"],
        "detail": found["detail"],
        "read": found["read_at"] is not None,
        "created_at": instant(found["created_at"]),
    }


def flagged(item: dict[str, Any]) -> dict[str, Any]:
    """Return a flagged thing of the caretaker's queue; those who flagged stay anonymous."""
    target = item["target"]
    hideable = item["kind"] in moderation.HIDEABLE
    return {
        "kind": item["kind"],
        "target_id": item["target_id"],
        "author": neighbour(item["author_profile_id"], target.get("author_name")),
        "title": target.get("title"),
        "body": target.get("body"),
        "hidden": target.get("hidden_at") is not None,
        "households": item["households"],
        "flags": [
            {
                "reason": f["reason"],
                "reason_label": translate(moderation.REASONS[f["reason"]]),
                "note": f["note"],
                "created_at": instant(f["created_at"]),
            }
            for f in item["flags"]
        ],
        "decisions": [d for d in DECISIONS if hideable or d in ("warn", "suspend")],
    }
