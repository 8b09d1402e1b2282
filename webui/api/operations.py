"""Every operation of /api/v1, declared once, with the errors operations of its kind answer.

What an operation may answer follows from what it is: a change (CSRF), a body, a
signed-in person, a role, an id in the path. So the document says the same thing
about every endpoint of the same kind, and a test compares this table with the
application's routes, both ways.
"""

from __future__ import annotations

import re
from typing import Any

from appliance.domain import noticeboard, reports, response_times, roles, skills
from appliance.domain import report_status as rs
from webui.api.body import CSV, JSON, MULTIPART, ZIP
from webui.api.schemas import ID, TEXT, enum, ref

TENANT, STAFF, ANYONE = "tenant", "staff", "anyone"
_PATH_PARAMETER = re.compile(r"{(\w+)}")


def _problem(description: str, **headers: Any) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/problem+json": {"schema": ref("Problem")}},
    }
    if headers:
        response["headers"] = headers
    return response


RESPONSES = {
    "400": _problem("The body could not be read, or the X-CSRFToken header is missing or wrong."),
    "401": _problem(
        "Nobody is signed in (for PIN and profile: no code was typed, or too long ago)."
    ),
    "403": _problem(
        "The staff member's role does not allow this; or the tenant may not: a caretaker "
        "suspended their writing, or the event is not theirs."
    ),
    "404": _problem("Nothing with this id, or not in the person's buildings."),
    "413": _problem("The body is too big."),
    "415": _problem("The body is not of the content type this operation reads."),
    "422": _problem("A field is wrong: `field` names it, `detail` says why."),
    "429": _problem(
        "Too many failed sign-ins from this address or for this household or account.",
        **{"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
    ),
    "507": _problem(
        "The box's disk is nearly full: tenants' changes and uploaded files are refused "
        "until room is made (`disk_nearly_full`)."
    ),
}
RESPONSE_NAMES = {
    "400": "BadRequest",
    "401": "Unauthorized",
    "403": "Forbidden",
    "404": "NotFound",
    "413": "TooLarge",
    "415": "WrongContentType",
    "422": "Invalid",
    "429": "TooMany",
    "507": "DiskNearlyFull",
}


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


BUILDING_FILTER = _query("building", ID, "Only this building (one of the person's).")
REPORT_FILTERS = (
    BUILDING_FILTER,
    _query("status", enum(("open", *rs.STATUSES)), "This status, or every open one."),
    _query("category", enum(reports.CATEGORIES), "This kind of problem."),
    _query("age", enum(reports.AGES), "Filed today, this week, over a week or a month ago."),
)


def operation(
    method: str,
    path: str,
    summary: str,
    answer: str,
    *,
    who: str,
    tag: str,
    permission: str | None = None,
    body: str | None = None,
    media: str = JSON,
    answer_media: str = JSON,
    status: str = "200",
    query: tuple[dict[str, Any], ...] = (),
    extra_errors: tuple[str, ...] = (),
) -> tuple[str, str, dict[str, Any]]:
    """Describe one operation, with the errors that operations of its kind answer."""
    changes = method != "get"
    errors = set(extra_errors)
    if changes:
        errors.add("400")
    if body:
        errors |= {"413", "415", "422"}
    # As webui/full_disk.py refuses them; signing in and out stays open.
    if changes and (media == MULTIPART or (who == TENANT and not path.startswith("/session"))):
        errors.add("507")
    if who != ANYONE:
        errors.add("401")
    if permission:
        errors.add("403")
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": ID}
        for name in _PATH_PARAMETER.findall(path)
    ]
    if parameters:
        errors.add("404")
    if query:
        errors.add("422")
    responses: dict[str, Any] = {
        status: {"description": summary, "content": {answer_media: {"schema": ref(answer)}}}
    }
    for code in sorted(errors):
        responses[code] = {"$ref": f"#/components/responses/{RESPONSE_NAMES[code]}"}
    described: dict[str, Any] = {
        "operationId": re.sub(r"[^a-z]+", "_", f"{method} {path}").strip("_"),
        "summary": summary,
        "tags": [tag],
        "parameters": parameters + list(query),
        "responses": responses,
        "security": [{"cookie": [], "csrf": []}] if changes else [{"cookie": []}],
    }
    if who == ANYONE and not changes:
        described["security"] = []
    if permission:
        described["description"] = f"Staff whose role carries `{permission}`."
    if body:
        described["requestBody"] = {"required": True, "content": {media: {"schema": ref(body)}}}
    return method, path, described


def _no_content(
    method: str, path: str, described: dict[str, Any]
) -> tuple[str, str, dict[str, Any]]:
    """Say that the operation answers 204 with no body when it succeeds."""
    errors = {code: r for code, r in described["responses"].items() if not code.startswith("2")}
    answer = {"204": {"description": described["summary"]}}
    return method, path, {**described, "responses": answer | errors}


# Writing to neighbours is refused while a caretaker suspends the person (403).
_WRITES = ("403",)

COMMUNITY = (
    operation(
        "get",
        "/board",
        "Posts of my building and residence",
        "PostList",
        who=TENANT,
        tag="community",
        query=(
            _query("category", enum(noticeboard.CATEGORIES), "Only posts of this kind."),
            _query("before", TEXT, "Start after this place: the `older` of the page before."),
        ),
    ),
    operation(
        "post",
        "/board",
        "Put a post on the board, with an optional photo",
        "PostDetail",
        who=TENANT,
        tag="community",
        body="NewPost",
        media=MULTIPART,
        status="201",
        extra_errors=_WRITES,
    ),
    operation(
        "get",
        "/board/{post_id}",
        "A post with its answers",
        "PostDetail",
        who=TENANT,
        tag="community",
    ),
    _no_content(
        *operation(
            "delete",
            "/board/{post_id}",
            "Take my post down",
            "PostDetail",
            who=TENANT,
            tag="community",
        )
    ),
    operation(
        "post",
        "/board/{post_id}/comments",
        "Answer under a post; its author is told",
        "PostDetail",
        who=TENANT,
        tag="community",
        body="NeighbourMessage",
        extra_errors=_WRITES,
    ),
    operation(
        "post",
        "/board/{post_id}/thanks",
        "Say thank you for a post, or take it back",
        "PostDetail",
        who=TENANT,
        tag="community",
    ),
    operation(
        "get",
        "/conversations",
        "My conversations",
        "ConversationList",
        who=TENANT,
        tag="community",
    ),
    operation(
        "post",
        "/conversations",
        "Write to a resident",
        "ConversationDetail",
        who=TENANT,
        tag="community",
        body="NewConversation",
        status="201",
        extra_errors=("403", "404"),
    ),
    operation(
        "get",
        "/conversations/{conversation_id}",
        "A conversation; reading it marks it read",
        "ConversationDetail",
        who=TENANT,
        tag="community",
    ),
    operation(
        "post",
        "/conversations/{conversation_id}/messages",
        "Answer in a conversation",
        "ConversationDetail",
        who=TENANT,
        tag="community",
        body="NeighbourMessage",
        extra_errors=_WRITES,
    ),
    _no_content(
        *operation(
            "post",
            "/people/{profile_id}/block",
            "Stop a person from writing to me (they are not told)",
            "ConversationDetail",
            who=TENANT,
            tag="community",
            extra_errors=("422",),
        )
    ),
    _no_content(
        *operation(
            "delete",
            "/people/{profile_id}/block",
            "Let a person I blocked write to me again",
            "ConversationDetail",
            who=TENANT,
            tag="community",
        )
    ),
    operation(
        "post",
        "/flags",
        "Flag what breaks the charter; three homes hide it",
        "Flagged",
        who=TENANT,
        tag="community",
        body="NewFlag",
        extra_errors=("404",),
    ),
    operation("get", "/events", "Coming events", "EventList", who=TENANT, tag="community"),
    operation(
        "post",
        "/events",
        "Organise an event",
        "Event",
        who=TENANT,
        tag="community",
        body="NewEvent",
        status="201",
        extra_errors=_WRITES,
    ),
    operation("get", "/events/{event_id}", "One event", "Event", who=TENANT, tag="community"),
    operation(
        "post",
        "/events/{event_id}/reply",
        "Say I come, with how many people",
        "Event",
        who=TENANT,
        tag="community",
        body="EventReply",
    ),
    operation(
        "delete",
        "/events/{event_id}/reply",
        "Say I no longer come",
        "Event",
        who=TENANT,
        tag="community",
    ),
    operation(
        "post",
        "/events/{event_id}/cancel",
        "Cancel an event I organise; those coming are told",
        "Event",
        who=TENANT,
        tag="community",
        extra_errors=("403",),
    ),
    operation(
        "get",
        "/skills",
        "Offers and requests of help in my residence",
        "SkillList",
        who=TENANT,
        tag="community",
        query=(
            _query("kind", enum(skills.KINDS), "Only offers, or only requests."),
            _query("category", enum(skills.CATEGORIES), "Only this kind of help."),
        ),
    ),
    operation(
        "post",
        "/skills",
        "Offer my help, or ask for help",
        "Skill",
        who=TENANT,
        tag="community",
        body="NewSkill",
        status="201",
        extra_errors=_WRITES,
    ),
    _no_content(
        *operation(
            "delete",
            "/skills/{skill_id}",
            "Close my offer or request",
            "Skill",
            who=TENANT,
            tag="community",
        )
    ),
    operation(
        "get",
        "/deals",
        "Local shops' deals for my residence",
        "DealList",
        who=TENANT,
        tag="tenant",
    ),
    operation("get", "/services", "Services near me", "ServiceList", who=TENANT, tag="tenant"),
    operation(
        "get",
        "/help-requests",
        "My requests for help and their answers",
        "HelpRequestList",
        who=TENANT,
        tag="tenant",
    ),
    operation(
        "post",
        "/help-requests",
        "Ask my building's mediator or caretaker for help",
        "HelpRequest",
        who=TENANT,
        tag="tenant",
        body="NewHelpRequest",
        status="201",
    ),
    operation(
        "get",
        "/notifications",
        "My notifications and the unread count (listing marks nothing read)",
        "NotificationList",
        who=TENANT,
        tag="tenant",
    ),
    operation(
        "post",
        "/notifications/read",
        "Mark all my notifications read",
        "NotificationList",
        who=TENANT,
        tag="tenant",
    ),
    operation(
        "get",
        "/me/data",
        "Download everything the box holds about me",
        "MyDataArchive",
        who=TENANT,
        tag="tenant",
        answer_media=ZIP,
    ),
    operation(
        "post",
        "/me/erase",
        "Erase my profile and sign out",
        "Session",
        who=TENANT,
        tag="tenant",
        body="Erasure",
    ),
)

STAFF_COMMUNITY = (
    operation(
        "get",
        "/staff/moderation",
        "What residents flagged in my buildings",
        "ModerationQueue",
        who=STAFF,
        tag="staff",
        permission=roles.MODERATE,
    ),
    operation(
        "post",
        "/staff/moderation/decisions",
        "Decide on a flagged thing; its author is told why",
        "ModerationQueue",
        who=STAFF,
        tag="staff",
        permission=roles.MODERATE,
        body="ModerationDecision",
        extra_errors=("404",),
    ),
    operation(
        "get",
        "/staff/help-requests",
        "Requests for help waiting in my buildings",
        "HelpRequestQueue",
        who=STAFF,
        tag="staff",
        permission=roles.ANSWER_HELP,
    ),
    operation(
        "post",
        "/staff/help-requests/{request_id}/answer",
        "Answer a request for help",
        "HelpRequestQueue",
        who=STAFF,
        tag="staff",
        permission=roles.ANSWER_HELP,
        body="HelpAnswer",
    ),
    operation(
        "get",
        "/staff/deals",
        "My shop's deals on or to come",
        "ShopDealList",
        who=STAFF,
        tag="hub",
        permission=roles.PUBLISH_DEALS,
    ),
    operation(
        "post",
        "/staff/deals",
        "Publish a deal for residences of my buildings",
        "ShopDeal",
        who=STAFF,
        tag="hub",
        permission=roles.PUBLISH_DEALS,
        body="NewDeal",
        media=MULTIPART,
        status="201",
    ),
    operation(
        "patch",
        "/staff/deals/{deal_id}",
        "Change my shop's deal",
        "ShopDeal",
        who=STAFF,
        tag="hub",
        permission=roles.PUBLISH_DEALS,
        body="DealChange",
        media=MULTIPART,
    ),
    _no_content(
        *operation(
            "delete",
            "/staff/deals/{deal_id}",
            "Take my shop's deal down everywhere",
            "ShopDeal",
            who=STAFF,
            tag="hub",
            permission=roles.PUBLISH_DEALS,
        )
    ),
    operation(
        "get",
        "/staff/partners",
        "Services reaching my buildings",
        "PartnerList",
        who=STAFF,
        tag="hub",
        permission=roles.MANAGE_PARTNERS,
    ),
    operation(
        "post",
        "/staff/partners",
        "Add a service to the directory",
        "Partner",
        who=STAFF,
        tag="hub",
        permission=roles.MANAGE_PARTNERS,
        body="NewPartner",
        status="201",
        extra_errors=("404",),
    ),
    operation(
        "patch",
        "/staff/partners/{partner_id}",
        "Change a service",
        "Partner",
        who=STAFF,
        tag="hub",
        permission=roles.MANAGE_PARTNERS,
        body="PartnerChange",
    ),
    _no_content(
        *operation(
            "delete",
            "/staff/partners/{partner_id}",
            "Take a service out of the directory everywhere",
            "Partner",
            who=STAFF,
            tag="hub",
            permission=roles.MANAGE_PARTNERS,
        )
    ),
)

OPERATIONS = (
    operation("get", "/openapi.json", "This document", "OpenAPIDocument", who=ANYONE, tag="api"),
    operation(
        "get",
        "/session",
        "Who is signed in, and the CSRF token",
        "Session",
        who=ANYONE,
        tag="session",
    ),
    operation(
        "patch",
        "/session",
        "Choose this device's language",
        "Session",
        who=ANYONE,
        tag="session",
        body="LanguageChoice",
    ),
    operation(
        "delete", "/session", "Sign out of this device", "Session", who=ANYONE, tag="session"
    ),
    operation(
        "post",
        "/session/code",
        "Type the household's code",
        "Household",
        who=ANYONE,
        tag="session",
        body="CodeRequest",
        extra_errors=("429",),
    ),
    operation(
        "post",
        "/session/pin",
        "Sign in as a household member with their PIN",
        "Session",
        who=ANYONE,
        tag="session",
        body="PinRequest",
        extra_errors=("401", "429"),
    ),
    operation(
        "post",
        "/session/profile",
        "Create a profile in the household and sign in",
        "Session",
        who=ANYONE,
        tag="session",
        body="ProfileRequest",
        status="201",
        extra_errors=("401",),
    ),
    operation(
        "post",
        "/session/staff",
        "Sign in as staff",
        "Session",
        who=ANYONE,
        tag="session",
        body="StaffSignIn",
        extra_errors=("429",),
    ),
    operation("get", "/me", "The signed-in tenant", "Profile", who=TENANT, tag="tenant"),
    operation(
        "patch",
        "/me",
        "Change language or text size",
        "Profile",
        who=TENANT,
        tag="tenant",
        body="PreferencesChange",
    ),
    operation("get", "/news", "Current news for my building", "NewsList", who=TENANT, tag="tenant"),
    operation("get", "/news/{news_id}", "One news item", "NewsItem", who=TENANT, tag="tenant"),
    operation("get", "/works", "Works in my building", "WorksList", who=TENANT, tag="tenant"),
    operation(
        "get",
        "/reports",
        "My reports and neighbours' open ones",
        "ReportLists",
        who=TENANT,
        tag="reports",
    ),
    operation(
        "post",
        "/reports",
        "Report a problem, with up to 3 photos",
        "ReportDetail",
        who=TENANT,
        tag="reports",
        body="NewReport",
        media=MULTIPART,
        status="201",
    ),
    operation(
        "get",
        "/reports/{report_id}",
        "A report with photos and timeline",
        "ReportDetail",
        who=TENANT,
        tag="reports",
    ),
    operation(
        "post",
        "/reports/{report_id}/messages",
        "Write to the landlord about my report",
        "ReportDetail",
        who=TENANT,
        tag="reports",
        body="MessageRequest",
    ),
    operation(
        "post",
        "/reports/{report_id}/me-too",
        "Say my home has this problem too",
        "ReportDetail",
        who=TENANT,
        tag="reports",
        extra_errors=("422",),
    ),
    operation(
        "get",
        "/staff/reports",
        "Reports of my buildings",
        "StaffReportList",
        who=STAFF,
        tag="staff",
        permission=roles.VIEW_REPORTS,
        query=(
            *REPORT_FILTERS,
            _query("after", TEXT, "Start after this place: the `newer` of the page before."),
        ),
        extra_errors=("404",),
    ),
    operation(
        "get",
        "/staff/reports/{report_id}",
        "A report with its whole timeline",
        "StaffReportDetail",
        who=STAFF,
        tag="staff",
        permission=roles.VIEW_REPORTS,
    ),
    operation(
        "post",
        "/staff/reports/{report_id}/status",
        "Move a report to a new status",
        "StaffReportDetail",
        who=STAFF,
        tag="staff",
        permission=roles.HANDLE_REPORTS,
        body="StatusChange",
    ),
    operation(
        "post",
        "/staff/reports/{report_id}/messages",
        "Write to the household",
        "StaffReportDetail",
        who=STAFF,
        tag="staff",
        permission=roles.HANDLE_REPORTS,
        body="MessageRequest",
    ),
    operation(
        "get",
        "/staff/dwellings",
        "Dwellings of my buildings",
        "DwellingList",
        who=STAFF,
        tag="staff",
        permission=roles.MANAGE_DWELLINGS,
        query=(BUILDING_FILTER,),
        extra_errors=("404",),
    ),
    operation(
        "post",
        "/staff/dwellings",
        "Register a dwelling and issue its code",
        "IssuedCode",
        who=STAFF,
        tag="staff",
        permission=roles.MANAGE_DWELLINGS,
        body="NewDwelling",
        status="201",
        extra_errors=("404",),
    ),
    operation(
        "post",
        "/staff/dwellings/import",
        "Import a CSV roster, all lines or none",
        "ImportedRoster",
        who=STAFF,
        tag="staff",
        permission=roles.MANAGE_DWELLINGS,
        body="Roster",
        media=CSV,
        status="201",
    ),
    operation(
        "post",
        "/staff/dwellings/{dwelling_id}/code",
        "Issue a new code (shown once)",
        "IssuedCode",
        who=STAFF,
        tag="staff",
        permission=roles.MANAGE_DWELLINGS,
    ),
    operation(
        "post",
        "/staff/dwellings/{dwelling_id}/move-out",
        "The household moved out",
        "MovedOut",
        who=STAFF,
        tag="staff",
        permission=roles.MANAGE_DWELLINGS,
    ),
    operation(
        "post",
        "/staff/news",
        "Publish news",
        "NewsItem",
        who=STAFF,
        tag="staff",
        permission=roles.PUBLISH_NEWS,
        body="NewNews",
        media=MULTIPART,
        status="201",
        extra_errors=("404",),
    ),
    operation(
        "post",
        "/staff/works",
        "Announce works",
        "PublishedWorks",
        who=STAFF,
        tag="staff",
        permission=roles.ANNOUNCE_WORKS,
        body="NewWorks",
        media=MULTIPART,
        status="201",
        extra_errors=("404",),
    ),
    operation(
        "get",
        "/staff/audit",
        "The audit log",
        "AuditLog",
        who=STAFF,
        tag="staff",
        permission=roles.VIEW_AUDIT,
    ),
    operation(
        "get",
        "/response-times",
        "Response times of my buildings, and the reports overdue",
        "ResponseTimes",
        who=STAFF,
        tag="staff",
        permission=roles.VIEW_RESPONSE_TIMES,
        query=(
            _query(
                "days",
                enum(str(days) for days in response_times.PERIODS_DAYS),
                f"Reports received in the last so many days ({response_times.DEFAULT_PERIOD_DAYS}"
                " when not given).",
            ),
        ),
    ),
    operation(
        "get",
        "/fleet",
        "Every box of the hub, online or not",
        "Fleet",
        who=STAFF,
        tag="hub",
        permission=roles.VIEW_FLEET,
    ),
    operation(
        "get",
        "/staff/news",
        "My publisher's news shown now or later",
        "PublishedNewsList",
        who=STAFF,
        tag="staff",
        permission=roles.PUBLISH_NEWS,
    ),
    operation(
        "patch",
        "/staff/news/{news_id}",
        "Change my publisher's news",
        "PublishedNews",
        who=STAFF,
        tag="staff",
        permission=roles.PUBLISH_NEWS,
        body="NewsChange",
        media=MULTIPART,
    ),
    _no_content(
        *operation(
            "delete",
            "/staff/news/{news_id}",
            "Take my publisher's news down wherever it is shown",
            "PublishedNews",
            who=STAFF,
            tag="staff",
            permission=roles.PUBLISH_NEWS,
        )
    ),
    operation(
        "get",
        "/staff/works",
        "My publisher's works under way or to come",
        "PublishedWorksList",
        who=STAFF,
        tag="staff",
        permission=roles.ANNOUNCE_WORKS,
    ),
    operation(
        "patch",
        "/staff/works/{notice_id}",
        "Change my publisher's works notice",
        "PublishedWorks",
        who=STAFF,
        tag="staff",
        permission=roles.ANNOUNCE_WORKS,
        body="WorksChange",
        media=MULTIPART,
    ),
    _no_content(
        *operation(
            "delete",
            "/staff/works/{notice_id}",
            "Take my publisher's works notice down wherever it is shown",
            "PublishedWorks",
            who=STAFF,
            tag="staff",
            permission=roles.ANNOUNCE_WORKS,
        )
    ),
    *COMMUNITY,
    *STAFF_COMMUNITY,
)
