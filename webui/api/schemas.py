"""The API's JSON shapes as JSON Schema (OpenAPI 3.1 components), one entry per shape.

Each answer schema lists every key `serialise` writes, all required, so a client can
rely on a key being there (null when it has no value). Request schemas name their
required fields; unknown fields are ignored.
"""

from __future__ import annotations

from typing import Any

from appliance.domain import (
    erasure,
    events,
    fleet,
    help_desk,
    moderation,
    news,
    noticeboard,
    notifications,
    partners,
    people,
    reports,
    response_times,
    roles,
    scope,
    skills,
)
from appliance.domain import report_status as rs
from webui.api.serialise import PERMISSIONS
from webui.staff.moderation import DECISIONS

Schema = dict[str, Any]

TEXT: Schema = {"type": "string"}
ID: Schema = {"type": "string", "description": "Opaque identifier."}
INSTANT: Schema = {"type": "string", "format": "date-time", "examples": ["2025-03-31T18:00:00Z"]}
DAY: Schema = {"type": "string", "format": "date", "examples": ["2025-03-31"]}
COUNT: Schema = {"type": "integer", "minimum": 0}
FLAG: Schema = {"type": "boolean"}
UNKNOWN_FIELDS = "Unknown fields are ignored."


def ref(name: str) -> Schema:
    """Point at a schema of components/schemas."""
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    """Allow null beside a schema."""
    return {"oneOf": [schema, {"type": "null"}]}


def enum(values: Any) -> Schema:
    """A text that is one of the values."""
    return {"type": "string", "enum": list(values)}


def answer(summary: str, /, **properties: Schema) -> Schema:
    """An object the box sends: every key is always present."""
    return {
        "type": "object",
        "description": summary,
        "properties": properties,
        "required": list(properties),
    }


def request(summary: str, required: tuple[str, ...], /, **properties: Schema) -> Schema:
    """An object a client sends."""
    return {
        "type": "object",
        "description": f"{summary} {UNKNOWN_FIELDS}",
        "properties": properties,
        "required": list(required),
    }


def listing(key: str, item: str, description: str) -> Schema:
    """An object holding one list."""
    return answer(description, **{key: {"type": "array", "items": ref(item)}})


def extended(base: str, summary: str, /, **properties: Schema) -> Schema:
    """A schema with every key of another one, and more."""
    return {"allOf": [ref(base), answer(summary, **properties)]}


BUILDING_REF = answer("A building.", id=ID, name=TEXT)
DWELLING_REF = answer("A dwelling.", id=ID, reference=TEXT)
PUBLISHER = answer("Who published it.", name=TEXT, kind=enum(news.PUBLISHER_KINDS), kind_label=TEXT)

_PEOPLE: dict[str, Schema] = {
    "Profile": answer(
        "The signed-in tenant.",
        id=ID,
        display_name=TEXT,
        locale=enum(people.LOCALES),
        text_size={"type": "integer", "enum": list(people.TEXT_SIZES)},
        dwelling=DWELLING_REF,
        building=BUILDING_REF,
        contact={
            **nullable(TEXT),
            "description": "What the tenant chose to show in their messages, if anything.",
        },
        charter_accepted={
            **FLAG,
            "description": "The charter is accepted; until then, send accept_charter with a "
            "first post, answer, message, offer of help or event.",
        },
    ),
    "StaffMember": answer(
        "The signed-in staff member, what their role allows and the buildings they look after.",
        id=ID,
        username=TEXT,
        display_name=TEXT,
        role=enum(roles.STAFF_ROLES),
        role_label=TEXT,
        locale=enum(people.LOCALES),
        permissions={"type": "array", "items": enum(PERMISSIONS)},
        buildings={"type": "array", "items": BUILDING_REF},
    ),
    "HouseholdMember": answer("A member of the household.", id=ID, display_name=TEXT),
    "Household": answer(
        "Who already has a profile in the dwelling whose code was typed.",
        members={"type": "array", "items": ref("HouseholdMember")},
        first={**FLAG, "description": "No profile yet: the next one activates the code."},
        may_join={**FLAG, "description": "One more profile may be created."},
        needs_a_member={
            **FLAG,
            "description": "The code already created a profile: a new one needs a member "
            "to vouch with their PIN (member_id, member_pin).",
        },
    ),
    "Session": answer(
        "Who is signed in on this device, and the token to send as X-CSRFToken.",
        signed_in={"type": ["string", "null"], "enum": ["tenant", "staff", None]},
        profile=nullable(ref("Profile")),
        staff=nullable(ref("StaffMember")),
        pending={
            **nullable(ref("Household")),
            "description": "A code was typed and a name or a new profile is awaited.",
        },
        locale={**enum(people.LOCALES), "description": "The language of messages and labels."},
        csrf_token=TEXT,
    ),
}

_NEWS: dict[str, Schema] = {
    "Photo": answer("A photo and the address that serves it (JPEG).", id=ID, url=TEXT),
    "NewsItem": answer(
        "A news item.",
        id=ID,
        title=TEXT,
        body=TEXT,
        publisher=PUBLISHER,
        scope=enum(scope.SCOPES),
        scope_label=TEXT,
        photo=nullable(ref("Photo")),
        published_at=INSTANT,
        expires_at=nullable(INSTANT),
    ),
    "NewsList": listing("news", "NewsItem", "Current news, newest first."),
    "WorksNotice": answer(
        "Works in a building, a residence, a district or the city, shown until their last day.",
        id=ID,
        title=TEXT,
        location=TEXT,
        starts_on=DAY,
        ends_on=DAY,
        tenant_action={**TEXT, "description": "What tenants must do (may be empty)."},
        publisher={**nullable(PUBLISHER), "description": "Who announced them, when known."},
        scope=enum(scope.SCOPES),
        scope_label=TEXT,
        photo=nullable(ref("Photo")),
        published_at=INSTANT,
    ),
    "WorksList": listing("works", "WorksNotice", "Works under way or to come, soonest first."),
    "PublishedNews": extended(
        "NewsItem",
        "A news item as its publisher sees it.",
        scope_name={
            **TEXT,
            "description": "The building, residence, district or city where it is shown.",
        },
    ),
    "PublishedNewsList": listing(
        "news", "PublishedNews", "The publisher's news shown now or later, newest first."
    ),
    "PublishedWorks": extended(
        "WorksNotice",
        "A works notice as its publisher sees it.",
        scope_name={
            **TEXT,
            "description": "The building, residence, district or city where it is shown.",
        },
    ),
    "PublishedWorksList": listing(
        "works", "PublishedWorks", "The publisher's works under way or to come, soonest first."
    ),
}

_REPORTS: dict[str, Schema] = {
    "Report": answer(
        "A report to the landlord.",
        id=ID,
        number={"type": "integer", "description": "The number people quote."},
        category=enum(reports.CATEGORIES),
        category_label=TEXT,
        location=enum(reports.LOCATIONS),
        location_label=TEXT,
        description=TEXT,
        status=enum(rs.STATUSES),
        status_label=TEXT,
        status_explanation=TEXT,
        open=FLAG,
        scheduled_for=nullable(DAY),
        duplicate_of={**nullable(ID), "description": "The report this one repeats."},
        building=BUILDING_REF,
        me_too_count=COUNT,
        photo_count=COUNT,
        own={**FLAG, "description": "Filed by the tenant's household."},
        supported={**FLAG, "description": 'The tenant\'s household said "me too".'},
        delivered_to_landlord={
            **FLAG,
            "description": "False while the box still holds part of the report (itself, a "
            'message, a "me too") that has not reached the landlord: the link to the hub is '
            "down. Always true where the box is not linked to a hub.",
        },
        created_at=INSTANT,
        updated_at=INSTANT,
    ),
    "ReportLists": answer(
        "The household's reports, and apart from them neighbours' open common-area ones.",
        mine={"type": "array", "items": ref("Report")},
        neighbours={"type": "array", "items": ref("Report")},
    ),
    "StatusEntry": answer(
        "A status change.",
        kind={"const": "status"},
        id=ID,
        at=INSTANT,
        status=enum(rs.STATUSES),
        status_label=TEXT,
        note={**TEXT, "description": "The agent's message to the household (may be empty)."},
        scheduled_for=nullable(DAY),
        duplicate_of=nullable(ID),
        staff_name={**nullable(TEXT), "description": "Shown to staff only."},
    ),
    "MessageEntry": answer(
        "A message between the household and the landlord.",
        kind={"const": "message"},
        id=ID,
        at=INSTANT,
        author_kind=enum(("tenant", "agent")),
        author_name={**nullable(TEXT), "description": "An agent's name is shown to staff only."},
        body=TEXT,
    ),
    "TimelineEntry": {
        "oneOf": [ref("StatusEntry"), ref("MessageEntry")],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {
                "status": ref("StatusEntry")["$ref"],
                "message": ref("MessageEntry")["$ref"],
            },
        },
    },
    "ReportDetail": extended(
        "Report",
        "A report with its photos and its timeline, oldest first (messages: own reports only).",
        photos={"type": "array", "items": ref("Photo")},
        timeline={"type": "array", "items": ref("TimelineEntry")},
    ),
    "StaffReport": extended(
        "Report",
        "A report as staff see it.",
        dwelling=DWELLING_REF,
        next_statuses={"type": "array", "items": enum(rs.STATUSES)},
    ),
    "StaffReportList": answer(
        "A page of the reports the filters keep, oldest first.",
        reports={"type": "array", "items": ref("StaffReport")},
        total={"type": "integer", "description": "How many the filters keep, on every page."},
        newer={
            **nullable(TEXT),
            "description": "Where the newer reports start (the next page's `after`); null "
            "when there are no more.",
        },
    ),
    "StaffReportDetail": extended(
        "StaffReport",
        "A report with its photos and its whole timeline.",
        photos={"type": "array", "items": ref("Photo")},
        timeline={"type": "array", "items": ref("TimelineEntry")},
    ),
}

_ESTATE: dict[str, Schema] = {
    "Dwelling": answer(
        "A dwelling with the state of its code.",
        id=ID,
        reference=TEXT,
        building=BUILDING_REF,
        staircase=TEXT,
        floor={"type": "integer"},
        code_issued_at={**nullable(INSTANT), "description": "Null when no code works."},
        code_activated_at=nullable(INSTANT),
        profile_count=COUNT,
        created_at=INSTANT,
    ),
    "DwellingList": listing("dwellings", "Dwelling", "Dwellings by building, staircase, floor."),
    "IssuedCode": answer(
        "A new access code, shown this once and never again.",
        dwelling=ref("Dwelling"),
        code={**TEXT, "examples": ["K7QM-4RZT-9XPD"]},
    ),
    "ImportedRoster": listing("issued", "IssuedCode", "Every dwelling of the roster."),
    "MovedOut": answer(
        "The dwelling after its household left.",
        dwelling=ref("Dwelling"),
        profiles_left=COUNT,
    ),
    "AuditEntry": answer(
        "One action of a staff member.",
        id=ID,
        at=INSTANT,
        actor=nullable(answer("Who did it.", id=ID, name=TEXT)),
        action=TEXT,
        target=TEXT,
        detail={"type": "object"},
    ),
    "OpenAPIDocument": {"type": "object", "description": "An OpenAPI 3.1 document."},
    "AuditLog": listing("entries", "AuditEntry", "The latest entries, newest first."),
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details; detail is in the person's language.",
        "properties": {
            "type": TEXT,
            "title": TEXT,
            "status": {"type": "integer"},
            "detail": TEXT,
            "code": {**TEXT, "description": "Stable machine-readable reason."},
            "field": {**TEXT, "description": "The field at fault, when there is one."},
            "lines": {
                "type": "array",
                "description": "Refused roster lines.",
                "items": answer("A refused line.", line={"type": "integer"}, message=TEXT),
            },
        },
        "required": ["type", "title", "status", "detail", "code"],
    },
}

SECONDS: Schema = {"type": "number", "minimum": 0, "description": "Seconds."}
_TIMES = answer(
    "How long reports took, among those that got there.",
    count={**COUNT, "description": "Reports that got there."},
    median_s={**nullable(SECONDS), "description": "Half took less. Null without reports."},
    p90_s={**nullable(SECONDS), "description": "Nine in ten took less (90th percentile)."},
)
_RECEIVED = {**COUNT, "description": "Reports received in the period."}
_ACKNOWLEDGE = {**_TIMES, "description": "From the report to the first change of status."}
_RESOLVE = {**_TIMES, "description": 'From the report to its first "resolved".'}

_HUB: dict[str, Schema] = {
    "Box": answer(
        "A box of the fleet, as its status and telemetry last described it.",
        id=ID,
        label=TEXT,
        buildings={"type": "array", "items": BUILDING_REF},
        online={**FLAG, "description": "The broker's last word: connected or not."},
        stale={
            **FLAG,
            "description": "Said online, but silent for more than "
            f"{fleet.STALE_AFTER.total_seconds() / 60:g} minutes.",
        },
        last_seen_at={**nullable(INSTANT), "description": "When the box was last heard from."},
        version=nullable(TEXT),
        uptime_s=nullable(COUNT),
        disk_free_bytes=nullable(COUNT),
        outbox_depth={**nullable(COUNT), "description": "Messages the box holds for the hub."},
        last_sync_at={
            **nullable(INSTANT),
            "description": "When the hub last acknowledged the box's messages.",
        },
        enrolled_at=INSTANT,
    ),
    "Fleet": listing("boxes", "Box", "Every box: offline first, then silent, then by label."),
    "ResponseTimes": answer(
        "Response times for reports of the staff member's buildings received in the period, "
        "and every open report overdue, whenever received.",
        since=INSTANT,
        until=INSTANT,
        days={"type": "integer", "enum": list(response_times.PERIODS_DAYS)},
        acknowledge_within_s={**COUNT, "description": "Overdue when not acknowledged by then."},
        resolve_within_s={**COUNT, "description": "Overdue when not resolved by then."},
        by_building={
            "type": "array",
            "items": answer(
                "Times for one building.",
                building=BUILDING_REF,
                received=_RECEIVED,
                to_acknowledge=_ACKNOWLEDGE,
                to_resolve=_RESOLVE,
            ),
        },
        by_category={
            "type": "array",
            "items": answer(
                "Times for one kind of problem.",
                category=enum(reports.CATEGORIES),
                category_label=TEXT,
                received=_RECEIVED,
                to_acknowledge=_ACKNOWLEDGE,
                to_resolve=_RESOLVE,
            ),
        },
        overdue={
            "type": "array",
            "items": answer(
                "An open report past the landlord's commitments, oldest first.",
                id=ID,
                number={"type": "integer"},
                building=BUILDING_REF,
                category=enum(reports.CATEGORIES),
                category_label=TEXT,
                status=enum(rs.OPEN),
                status_label=TEXT,
                reason=enum((response_times.NOT_ACKNOWLEDGED, response_times.NOT_RESOLVED)),
                received_at=INSTANT,
                due_at=INSTANT,
            ),
        },
    ),
}

_REQUESTS: dict[str, Schema] = {
    "CodeRequest": request(
        "The code from the household's letter, dashes and case as typed.", ("code",), code=TEXT
    ),
    "PinRequest": request(
        "A household member and their PIN.", ("profile_id", "pin"), profile_id=ID, pin=TEXT
    ),
    "ProfileRequest": request(
        "A new household member. Once the code has created a profile, a member of the "
        "household vouches for the newcomer with their PIN.",
        ("display_name", "locale", "pin", "pin_confirm"),
        display_name=TEXT,
        locale=enum(people.LOCALES),
        pin={**TEXT, "description": "4 to 8 digits."},
        pin_confirm=TEXT,
        member_id={**TEXT, "description": "The member who vouches, when one must."},
        member_pin={**TEXT, "description": "That member's PIN."},
    ),
    "StaffSignIn": request(
        "A staff account's credentials.", ("username", "password"), username=TEXT, password=TEXT
    ),
    "LanguageChoice": request("A language.", ("locale",), locale=enum(people.LOCALES)),
    "PreferencesChange": request(
        "Preferences to change; those left out stay.",
        (),
        locale=enum(people.LOCALES),
        text_size={"type": "integer", "enum": list(people.TEXT_SIZES)},
        contact={
            **TEXT,
            "description": "Shown to the people I write to (at most 200 characters); "
            "empty shows nothing.",
        },
    ),
    "NewReport": request(
        "A report, as a multipart form.",
        ("category", "location", "description"),
        category=enum(reports.CATEGORIES),
        location=enum(reports.LOCATIONS),
        description=TEXT,
        photos={
            "type": "array",
            "maxItems": reports.MAX_PHOTOS,
            "items": {"type": "string", "contentMediaType": "image/*"},
        },
    ),
    "Roster": {
        "type": "string",
        "description": (
            "CSV in UTF-8 (with or without a byte-order mark) or Windows-1252: a header line "
            "naming the columns reference, building, staircase, floor (or their French names), "
            "then one dwelling per line, `;` or `,` between."
        ),
    },
    "MessageRequest": request("A message.", ("body",), body=TEXT),
    "StatusChange": request(
        "A move to a new status.",
        ("status",),
        status=enum(rs.STATUSES),
        message={**TEXT, "description": "Required for not_responsible and duplicate."},
        scheduled_for={**DAY, "description": "Required for scheduled; not in the past."},
        duplicate_of={**ID, "description": "Id of the first report, required for duplicate."},
    ),
    "NewDwelling": request(
        "A dwelling in one of the staff member's buildings.",
        ("building_id", "reference", "floor"),
        building_id=ID,
        reference=TEXT,
        staircase=TEXT,
        floor={"type": "integer", "minimum": -3, "description": "0 is the ground floor."},
    ),
    "NewNews": request(
        "A news item for one of the staff member's buildings, or around it, as a multipart "
        "form. The scope says who sees it: that building, or its residence, district or city.",
        ("building_id", "scope", "title", "body"),
        building_id=ID,
        scope=enum(scope.SCOPES),
        title=TEXT,
        body=TEXT,
        expires_at={**INSTANT, "description": "Without a zone, UTC."},
        photo={"type": "string", "contentMediaType": "image/*"},
    ),
    "NewsChange": request(
        "What changes in a news item, as a multipart form; a field not sent stays as it is. "
        "A new scope is sent with the building it is around, as when publishing.",
        (),
        building_id=ID,
        scope=enum(scope.SCOPES),
        title=TEXT,
        body=TEXT,
        expires_at={**INSTANT, "description": "Without a zone, UTC; empty for no end."},
        photo={
            "type": "string",
            "contentMediaType": "image/*",
            "description": "Replaces the picture.",
        },
        remove_photo={**enum(["true"]), "description": "Removes the picture."},
    ),
    "NewWorks": request(
        "Works in one of the staff member's buildings, or around it, as a multipart form. "
        "The scope says who sees them: that building, or its residence, district or city.",
        ("building_id", "scope", "title", "location", "starts_on", "ends_on"),
        building_id=ID,
        scope=enum(scope.SCOPES),
        title=TEXT,
        location=TEXT,
        starts_on=DAY,
        ends_on=DAY,
        tenant_action=TEXT,
        photo={"type": "string", "contentMediaType": "image/*"},
    ),
    "WorksChange": request(
        "What changes in a works notice, as a multipart form; a field not sent stays as it "
        "is. A new scope is sent with the building it is around, as when announcing.",
        (),
        building_id=ID,
        scope=enum(scope.SCOPES),
        title=TEXT,
        location=TEXT,
        starts_on=DAY,
        ends_on=DAY,
        tenant_action=TEXT,
        photo={
            "type": "string",
            "contentMediaType": "image/*",
            "description": "Replaces the picture.",
        },
        remove_photo={**enum(["true"]), "description": "Removes the picture."},
    ),
}

HIDDEN_BY: Schema = {
    **nullable(enum(("flags", "moderator"))),
    "description": "Hidden by three households' flags or by a caretaker, until a caretaker "
    "decides; only its author sees it then. Null when shown to all.",
}
NEIGHBOUR = ref("Neighbour")
CHARTER: Schema = {
    **FLAG,
    "description": "I accept the charter: needed once, with a first post, answer, message, "
    "offer of help or event (see charter_accepted in Profile).",
}

_COMMUNITY: dict[str, Schema] = {
    "Neighbour": answer(
        "A resident as others see them: a name and an id to write to, never their flat or "
        "phone number. Both are null once they erased their profile and kept what they wrote.",
        id=nullable(ID),
        display_name=nullable(TEXT),
    ),
    "Post": answer(
        "A noticeboard post.",
        id=ID,
        category=enum(noticeboard.CATEGORIES),
        category_label=TEXT,
        scope=enum(noticeboard.SCOPES),
        scope_label=TEXT,
        title=TEXT,
        body=TEXT,
        photo=nullable(ref("Photo")),
        author=NEIGHBOUR,
        building={**BUILDING_REF, "description": "The author's building."},
        mine={**FLAG, "description": "Written by the signed-in tenant."},
        hidden_by=HIDDEN_BY,
        comment_count={**COUNT, "description": "Answers everyone sees."},
        thanks_count=COUNT,
        created_at=INSTANT,
    ),
    "PostList": answer(
        "A page of the posts of the building and the residence, newest first.",
        posts={"type": "array", "items": ref("Post")},
        older={
            **nullable(TEXT),
            "description": "Where the older posts start (the next page's `before`); null "
            "when there are no more.",
        },
    ),
    "Comment": answer(
        "An answer under a post.",
        id=ID,
        author=NEIGHBOUR,
        body=TEXT,
        mine=FLAG,
        hidden_by=HIDDEN_BY,
        created_at=INSTANT,
    ),
    "PostDetail": extended(
        "Post",
        "A post with its answers, oldest first.",
        thanked={**FLAG, "description": "The signed-in tenant said thank you."},
        comments={"type": "array", "items": ref("Comment")},
    ),
    "Conversation": answer(
        "A conversation of the inbox.",
        id=ID,
        other=NEIGHBOUR,
        unread={**FLAG, "description": "The other person wrote since it was last read."},
        updated_at=INSTANT,
    ),
    "ConversationList": listing("conversations", "Conversation", "Conversations, latest first."),
    "PrivateMessage": answer(
        "A private message.",
        id=ID,
        mine={**FLAG, "description": "Sent by the signed-in tenant."},
        body=TEXT,
        created_at=INSTANT,
    ),
    "ConversationDetail": answer(
        "A conversation with its messages, oldest first. Reading it marks it read.",
        id=ID,
        other=extended(
            "Neighbour",
            "The other person.",
            contact={
                **nullable(TEXT),
                "description": "A contact detail they chose to show, if any.",
            },
        ),
        blocked={**FLAG, "description": "The signed-in tenant blocked the other person."},
        can_write={**FLAG, "description": "Neither blocked the other and they are still here."},
        messages={"type": "array", "items": ref("PrivateMessage")},
    ),
    "Flagged": answer(
        "What became of what was flagged.",
        hidden={**FLAG, "description": "Enough households flagged it: hidden until decided."},
    ),
    "Event": answer(
        "An event of the estate.",
        id=ID,
        title=TEXT,
        description=TEXT,
        place=TEXT,
        starts_at=INSTANT,
        ends_at=INSTANT,
        scope=enum(events.SCOPES),
        scope_label=TEXT,
        organiser={
            **NEIGHBOUR,
            "description": "Who organises, as people read it (a committee…); the id is null "
            "when staff organised it.",
        },
        mine={**FLAG, "description": "Organised by the signed-in tenant."},
        capacity={**nullable(COUNT), "description": "Null when there is no limit."},
        coming={**COUNT, "description": "People said to be coming, in all."},
        places_left=nullable(COUNT),
        my_people={
            **nullable(COUNT),
            "description": "How many the signed-in tenant said they would be.",
        },
        cancelled_at=nullable(INSTANT),
    ),
    "EventList": listing("events", "Event", "Events not ended yet, soonest first."),
    "Skill": answer(
        "An offer of help or a request for help; answer it by writing to its author.",
        id=ID,
        kind=enum(skills.KINDS),
        kind_label=TEXT,
        category=enum(skills.CATEGORIES),
        category_label=TEXT,
        title=TEXT,
        description=TEXT,
        author=NEIGHBOUR,
        mine=FLAG,
        created_at=INSTANT,
    ),
    "SkillList": listing("skills", "Skill", "Open offers and requests, newest first."),
    "Deal": answer(
        "A local shop's deal, shown from its first to its last day.",
        id=ID,
        title=TEXT,
        description=TEXT,
        shop=PUBLISHER,
        photo=nullable(ref("Photo")),
        valid_from=DAY,
        valid_until=DAY,
    ),
    "DealList": listing("deals", "Deal", "Deals valid today, ending soonest first."),
    "Service": answer(
        "A partner's service near the estate.",
        id=ID,
        name=TEXT,
        category=enum(partners.CATEGORIES),
        category_label=TEXT,
        description=TEXT,
        address={**TEXT, "description": "May be empty."},
        phone={**TEXT, "description": "The service's own number; may be empty."},
        opening_hours={**TEXT, "description": "May be empty."},
        scope=enum(scope.SCOPES),
        scope_label=TEXT,
        updated_at=INSTANT,
    ),
    "ServiceList": listing("services", "Service", "Services by kind, then name."),
    "HelpRequest": answer(
        "A request for help with the portal, and its answer once given.",
        id=ID,
        topic=enum(help_desk.TOPICS),
        topic_label=TEXT,
        message=TEXT,
        how=enum(help_desk.WAYS),
        how_label=TEXT,
        created_at=INSTANT,
        answered_at=nullable(INSTANT),
        answer=nullable(TEXT),
    ),
    "HelpRequestList": listing("help_requests", "HelpRequest", "Requests, newest first."),
    "Notification": answer(
        "Something that happened for the tenant.",
        id=ID,
        kind=enum(notifications.KINDS),
        subject_id={
            **nullable(ID),
            "description": "What it is about: the post (post_comment), conversation "
            "(message), report (report_status), works notice, event (event_changed), "
            "flagged thing (moderation) or request for help (help_answered).",
        },
        detail={
            "type": "object",
            "description": "The words of its sentence: name and title (post_comment), name "
            "(message, help_answered), number and status (report_status), title (works), "
            "title and change (event_changed: changed or cancelled), target_kind, decision, "
            "reason and days (moderation), days and after_days (inactive).",
        },
        read=FLAG,
        created_at=INSTANT,
    ),
    "NotificationList": answer(
        "The latest notifications, newest first, and how many are unread.",
        unread_count=COUNT,
        notifications={"type": "array", "items": ref("Notification")},
    ),
    "MyDataArchive": {
        "type": "string",
        "contentMediaType": "application/zip",
        "description": "A zip file: my-data.json with everything the box holds about the "
        "tenant, and photos/ with the photos of their posts and of their home's reports.",
    },
}

_STAFF_COMMUNITY: dict[str, Schema] = {
    "FlaggedItem": answer(
        "Something flagged and not decided yet. Those who flagged stay anonymous.",
        kind=enum(moderation.TARGETS),
        target_id=ID,
        author={**NEIGHBOUR, "description": "Who wrote it, or the person flagged."},
        title={**nullable(TEXT), "description": "A post's title."},
        body={**nullable(TEXT), "description": "What was written (not for a person)."},
        hidden={**FLAG, "description": "Hidden for now."},
        households={**COUNT, "description": "Homes that flagged it."},
        flags={
            "type": "array",
            "items": answer(
                "One home's flag.",
                reason=enum(moderation.REASONS),
                reason_label=TEXT,
                note=TEXT,
                created_at=INSTANT,
            ),
        },
        decisions={
            "type": "array",
            "description": "The decisions possible: hide and restore for posts and answers.",
            "items": enum(DECISIONS),
        },
    ),
    "ModerationQueue": listing("items", "FlaggedItem", "What waits, most flagged first."),
    "WaitingHelpRequest": answer(
        "A request for help nobody answered yet.",
        id=ID,
        topic=enum(help_desk.TOPICS),
        topic_label=TEXT,
        message=TEXT,
        how=enum(help_desk.WAYS),
        how_label=TEXT,
        created_at=INSTANT,
        building=BUILDING_REF,
        display_name={**nullable(TEXT), "description": "Who asked."},
        dwelling_reference={
            **nullable(TEXT),
            "description": "Their flat, only when they asked for a visit.",
        },
    ),
    "HelpRequestQueue": listing(
        "help_requests", "WaitingHelpRequest", "Requests not answered yet, oldest first."
    ),
    "ShopDeal": extended(
        "Deal",
        "A deal as its shop sees it.",
        residences={"type": "array", "items": answer("A residence.", id=ID, name=TEXT)},
    ),
    "ShopDealList": listing("deals", "ShopDeal", "The shop's deals on or to come."),
    "Partner": extended(
        "Service",
        "A service as staff see it.",
        scope_name={
            **TEXT,
            "description": "The building, residence, district or city where it is shown.",
        },
    ),
    "PartnerList": listing(
        "partners", "Partner", "Services reaching the staff member's buildings."
    ),
}

PHOTO_FIELD: Schema = {"type": "string", "contentMediaType": "image/*"}

_COMMUNITY_REQUESTS: dict[str, Schema] = {
    "NewPost": request(
        "A post, as a multipart form; scope building or residence is the author's own.",
        ("category", "scope", "title", "body"),
        category=enum(noticeboard.CATEGORIES),
        scope=enum(noticeboard.SCOPES),
        title={**TEXT, "maxLength": noticeboard.MAX_TITLE},
        body={**TEXT, "maxLength": noticeboard.MAX_BODY},
        photo=PHOTO_FIELD,
        accept_charter={**enum(["true"]), "description": CHARTER["description"]},
    ),
    "NeighbourMessage": request(
        "An answer or a message to neighbours.",
        ("body",),
        body=TEXT,
        accept_charter=CHARTER,
    ),
    "NewConversation": request(
        "A message to a resident, who is known by the id a post, an offer or an event gives.",
        ("to", "body"),
        to=ID,
        body=TEXT,
        accept_charter=CHARTER,
    ),
    "NewFlag": request(
        "Something that breaks the charter, and why.",
        ("kind", "target_id", "reason"),
        kind=enum(moderation.TARGETS),
        target_id={**ID, "description": "The post, answer, message or person (profile id)."},
        reason=enum(moderation.REASONS),
        note=TEXT,
    ),
    "NewEvent": request(
        "An event for the tenant's building or residence.",
        ("scope", "title", "place", "starts_at", "ends_at"),
        scope=enum(events.SCOPES),
        title=TEXT,
        description=TEXT,
        place=TEXT,
        starts_at={**INSTANT, "description": "Not in the past. Without a zone, UTC."},
        ends_at={
            **INSTANT,
            "description": "After the start, a week later at most. Without a zone, UTC.",
        },
        capacity={
            "type": "integer",
            "minimum": 1,
            "maximum": events.MAX_CAPACITY,
            "description": "Places in all; no limit when left out.",
        },
        organiser={
            **TEXT,
            "description": "Who organises, as people will read it; the tenant's name when "
            "left out.",
        },
        accept_charter=CHARTER,
    ),
    "EventReply": request(
        "How many will come, the tenant included; sent again, it replaces the number.",
        ("people",),
        people={"type": "integer", "minimum": 1, "maximum": events.MAX_PEOPLE_PER_REPLY},
    ),
    "NewSkill": request(
        "An offer of help or a request for help, for the residence.",
        ("kind", "category", "title", "description"),
        kind=enum(skills.KINDS),
        category=enum(skills.CATEGORIES),
        title={**TEXT, "maxLength": skills.MAX_TITLE},
        description={**TEXT, "maxLength": skills.MAX_DESCRIPTION},
        accept_charter=CHARTER,
    ),
    "NewHelpRequest": request(
        "What the tenant needs help with, and how they would like to be helped.",
        ("topic", "how"),
        topic=enum(help_desk.TOPICS),
        message={**TEXT, "maxLength": help_desk.MAX_TEXT},
        how=enum(help_desk.WAYS),
    ),
    "Erasure": request(
        "Erasing the tenant's profile, confirmed. Their home's reports stay: they are the "
        "landlord's record of the home.",
        ("what_i_wrote", "confirm"),
        what_i_wrote={
            **enum(erasure.CHOICES),
            "description": "Posts, answers and messages deleted, or kept without a name.",
        },
        confirm={"const": True},
    ),
    "ModerationDecision": request(
        "A caretaker's decision on a flagged thing; its author reads the reason.",
        ("kind", "target_id", "decision", "reason"),
        kind=enum(moderation.TARGETS),
        target_id=ID,
        decision={**enum(DECISIONS), "description": "Hide and restore: posts and answers only."},
        reason=TEXT,
        days={
            "type": "integer",
            "enum": list(moderation.SUSPENSION_DAYS),
            "description": "Required to suspend.",
        },
    ),
    "HelpAnswer": request("An answer to a request for help.", ("answer",), answer=TEXT),
    "NewDeal": request(
        "A deal, as a multipart form, for residences of the merchant's buildings.",
        ("title", "description", "valid_from", "valid_until", "residences"),
        title=TEXT,
        description=TEXT,
        valid_from=DAY,
        valid_until={**DAY, "description": "Not before valid_from; three months at most."},
        residences={
            "type": "array",
            "items": ID,
            "description": "A repeated field; residences of other buildings are left out.",
        },
        photo=PHOTO_FIELD,
    ),
    "DealChange": request(
        "What changes in a deal, as a multipart form; a field not sent stays as it is.",
        (),
        title=TEXT,
        description=TEXT,
        valid_from=DAY,
        valid_until=DAY,
        residences={
            "type": "array",
            "items": ID,
            "description": "A repeated field replacing the residences; those left out take "
            "the deal down.",
        },
        photo={**PHOTO_FIELD, "description": "Replaces the picture."},
        remove_photo={**enum(["true"]), "description": "Removes the picture."},
    ),
    "NewPartner": request(
        "A service for one of the staff member's buildings or around it. The scope says who "
        "sees it: that building, or its residence, district or city.",
        ("building_id", "scope", "name", "category", "description"),
        building_id=ID,
        scope=enum(scope.SCOPES),
        name=TEXT,
        category=enum(partners.CATEGORIES),
        description=TEXT,
        address=TEXT,
        phone=TEXT,
        opening_hours=TEXT,
    ),
    "PartnerChange": request(
        "What changes in a service; a field not sent stays as it is. A new scope is sent "
        "with the building it is around, as when adding.",
        (),
        building_id=ID,
        scope=enum(scope.SCOPES),
        name=TEXT,
        category=enum(partners.CATEGORIES),
        description=TEXT,
        address=TEXT,
        phone=TEXT,
        opening_hours=TEXT,
    ),
}

SCHEMAS: dict[str, Schema] = {
    **_PEOPLE,
    **_NEWS,
    **_REPORTS,
    **_ESTATE,
    **_HUB,
    **_REQUESTS,
    **_COMMUNITY,
    **_STAFF_COMMUNITY,
    **_COMMUNITY_REQUESTS,
}
