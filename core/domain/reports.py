"""Reports to the landlord: filing, following, "me too", and the agent's answers.

A report is filed by a household member about their dwelling or a common area of their
building. Its timeline is the list of status changes and the messages exchanged
between the household and the landlord's agent. Neighbours see the open reports about
common areas of their building and add "me too" instead of filing the same problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    String,
    bindparam,
    case,
    cast,
    false,
    func,
    select,
    update,
)

from core.domain import audit, notifications, paging, side, typed_text
from core.domain import report_status as rs
from core.domain.clock import new_id, utcnow
from core.domain.errors import N_, DomainError, FieldChecks, NotFound
from core.domain.people import LOCALES
from core.domain.report_limits import MAX_DESCRIPTION, MAX_MESSAGE, MAX_PHOTOS
from core.messages import reports as link_messages
from core.storage.schema import (
    buildings,
    dwellings,
    photos,
    profiles,
    report_events,
    report_messages,
    report_photos,
    report_supporters,
    reports,
    staff,
)

# The common problems first, each with a choice of its own: nobody should have to guess
# where a leak or a broken lock goes.
CATEGORIES: dict[str, str] = {
    "leak": N_("Water leak"),
    "heating_water": N_("No heating or no hot water"),
    "lift": N_("Lift out of order"),
    "lock": N_("Door or lock"),
    "noise": N_("Noise or nuisance"),
    "pests": N_("Pests (insects, rats…)"),
    "cleanliness": N_("Cleanliness"),
    "damage": N_("Something broken"),
    "safety": N_("Safety"),
    "other": N_("Something else"),
}
LOCATIONS: dict[str, str] = {
    "dwelling": N_("In my home"),
    "hall": N_("Entrance hall"),
    "staircase": N_("Staircase"),
    "lift": N_("Lift"),
    "car_park": N_("Car park"),
    "outside": N_("Outside"),
}
COMMON_AREAS = frozenset(LOCATIONS) - {"dwelling"}
# Rows of the agents' list on one page; the filters narrow it further.
AGENT_PAGE_SIZE = 100
AGES: dict[str, tuple[int | None, int | None]] = {
    # name: (at least N days old, less than M days old)
    "today": (None, 1),
    "week": (None, 7),
    "over_week": (7, None),
    "over_month": (30, None),
}
# How much of a description the agents' list shows, and the candidates for "already
# reported": enough to tell two reports apart.
EXCERPT_LENGTH = 90
# The household's details, kept on the report for the agents who handle it; never in a
# summary, which every staff member of the building reads.
HOUSEHOLD_COLUMNS = ("household_name", "household_locale", "household_contact")
# A reference as people type it: the building's code and the number, with a dash, a
# space or nothing between them ("BA-12", "ba 12", "BA12"), or the number alone.
_TYPED_REFERENCE = re.compile(r"(?:([A-Z0-9]{1,8})-|([A-Z]{1,8}))?([0-9]{1,9})")


def validate(category: str, location: str, description: str) -> str:
    """Check a report's fields, all of them at once, and return the cleaned description."""
    checks = FieldChecks()
    if category not in CATEGORIES:
        checks.refuse(
            DomainError("category_unknown", N_("Choose what kind of problem it is."), "category")
        )
    if location not in LOCATIONS:
        checks.refuse(
            DomainError("location_unknown", N_("Choose where the problem is."), "location")
        )
    cleaned = checks.check(
        lambda: typed_text.text(
            description, "description", MAX_DESCRIPTION, N_("Describe the problem in a few words.")
        )
    )
    checks.done()
    return cleaned


def reference_of(code: ColumnElement, number: ColumnElement) -> ColumnElement:
    """Return the SQL expression of a report's reference: its building's code and its
    number ("BA-12"), unique at the hub where numbers alone repeat from box to box."""
    return code + "-" + cast(number, String)


def read_reference(typed: str) -> tuple[str | None, int] | None:
    """Read a reference as people type or say it: the building's code (None when only
    the number is given) and the number; None when it cannot be a reference."""
    text = re.sub(r"[\s\-\u2010-\u2015.#/]+", "-", typed.strip().upper()).strip("-")
    found = _TYPED_REFERENCE.fullmatch(text)
    if found is None:
        return None
    code = found.group(1) or found.group(2)
    return code, int(found.group(3))


def excerpt(description: str, length: int = EXCERPT_LENGTH) -> str:
    """Return the start of a description on one line, cut between words, with an
    ellipsis when something was left out."""
    flat = " ".join(description.split())
    if len(flat) <= length:
        return flat
    cut = flat[: length + 1].rsplit(" ", 1)[0] if " " in flat[:length] else flat[:length]
    return cut.rstrip(" ,;:.-") + "…"


def file(
    connection: Connection,
    profile: dict[str, Any],
    category: str,
    location: str,
    description: str,
    photo_ids: list[str] = (),
) -> str:
    """File a report for the profile's household and return its id."""
    description = validate(category, location, description)
    if len(photo_ids) > MAX_PHOTOS:
        raise DomainError(
            "photos_too_many", N_("You can add up to %(count)d photos."), "photos", count=MAX_PHOTOS
        )
    now = utcnow()
    number = (connection.execute(select(func.max(reports.c.number))).scalar() or 0) + 1
    report_id = new_id()
    connection.execute(
        reports.insert().values(
            id=report_id,
            number=number,
            building_id=profile["building_id"],
            dwelling_id=profile["dwelling_id"],
            author_profile_id=profile["id"],
            category=category,
            location=location,
            description=description,
            status=rs.RECEIVED,
            created_at=now,
            updated_at=now,
            household_name=profile["display_name"],
            household_locale=profile["locale"],
            household_contact=profile["contact"],
        )
    )
    for position, photo_id in enumerate(photo_ids):
        connection.execute(
            report_photos.insert().values(report_id=report_id, photo_id=photo_id, position=position)
        )
    connection.execute(
        report_events.insert().values(
            id=new_id(), report_id=report_id, status=rs.RECEIVED, created_at=now
        )
    )
    link_messages.report_filed(connection, report_id)
    return report_id


@dataclass(frozen=True)
class FromBox:
    """A report a box filed, as the hub keeps it: checked, before anything is written."""

    report: dict[str, Any]
    dwelling: dict[str, Any]
    photo_ids: list[str]
    event: dict[str, Any]


def from_box(filed: link_messages.ReportFiled) -> FromBox:
    """Return the rows a report filed on a box adds at the hub, checked and cleaned by the
    rules a report filed here follows; the hub receives it as a new report."""
    report = filed.report
    description = validate(report.category, report.location, report.description)
    household = _household_from_box(filed.household)
    home = filed.dwelling
    dwelling = {
        "id": home.id,
        "building_id": home.building_id,
        "reference": home.reference,
        "staircase": home.staircase,
        "floor": home.floor,
        "created_at": report.created_at,
    }
    return FromBox(
        report={
            "id": report.id,
            "number": report.number,
            "building_id": report.building_id,
            "dwelling_id": dwelling["id"],
            "category": report.category,
            "location": report.location,
            "description": description,
            "status": rs.RECEIVED,
            "created_at": report.created_at,
            "updated_at": report.created_at,
            **household,
        },
        dwelling=dwelling,
        photo_ids=filed.photo_ids,
        event={
            "id": new_id(),
            "report_id": report.id,
            "status": rs.RECEIVED,
            "created_at": report.created_at,
        },
    )


def _household_from_box(household: link_messages.Household | None) -> dict[str, Any]:
    """Return the household's details a report from a box carries, cleaned as a profile's
    are; an older box sends none."""
    if household is None:
        return dict.fromkeys(HOUSEHOLD_COLUMNS)
    # A language this side does not know costs the agent a detail, never the report.
    locale = household.locale if household.locale in LOCALES else None
    return {
        "household_name": typed_text.plain(household.name, "household_name", one_line=True) or None,
        "household_locale": locale,
        "household_contact": typed_text.plain(household.contact, "household_contact", True) or None,
    }


def photos_from_box(connection: Connection, filed: FromBox) -> list[dict[str, Any]]:
    """Return the photos of a report from a box that have arrived, as rows of
    ``report_photos``: a photo kept aside on arrival must not cost the tenant their report."""
    if not filed.photo_ids:
        return []
    arrived = set(
        connection.execute(select(photos.c.id).where(photos.c.id.in_(filed.photo_ids))).scalars()
    )
    report_id = filed.report["id"]
    return [
        {"report_id": report_id, "photo_id": photo_id, "position": position}
        for position, photo_id in enumerate(p for p in filed.photo_ids if p in arrived)
    ]


def keep_from_box(connection: Connection, filed: FromBox) -> None:
    """Keep a report a box filed (its dwelling is already known here)."""
    connection.execute(reports.insert().values(filed.report))
    for row in photos_from_box(connection, filed):
        connection.execute(report_photos.insert().values(row))
    connection.execute(report_events.insert().values(filed.event))


def building_of(connection: Connection, report_id: str) -> str | None:
    """Return the building of a report, or None when there is no such report here."""
    return connection.execute(
        select(reports.c.building_id).where(reports.c.id == report_id)
    ).scalar()


@cache
def _summary_query():
    supporters = (
        select(report_supporters.c.report_id, func.count().label("me_too_count"))
        .group_by(report_supporters.c.report_id)
        .subquery()
    )
    photo_counts = (
        select(report_photos.c.report_id, func.count().label("photo_count"))
        .group_by(report_photos.c.report_id)
        .subquery()
    )
    return (
        select(
            *(column for column in reports.c if column.name not in HOUSEHOLD_COLUMNS),
            buildings.c.name.label("building_name"),
            buildings.c.code.label("building_code"),
            reference_of(buildings.c.code, reports.c.number).label("reference"),
            dwellings.c.reference.label("dwelling_reference"),
            func.coalesce(supporters.c.me_too_count, 0).label("me_too_count"),
            func.coalesce(photo_counts.c.photo_count, 0).label("photo_count"),
        )
        .join(buildings, buildings.c.id == reports.c.building_id)
        .join(dwellings, dwellings.c.id == reports.c.dwelling_id)
        .outerjoin(supporters, supporters.c.report_id == reports.c.id)
        .outerjoin(photo_counts, photo_counts.c.report_id == reports.c.id)
    )


def _household_members(dwelling_id: str):
    # A household that moved out takes its reports with it: the next one living in the
    # dwelling must not read them.
    return select(profiles.c.id).where(
        profiles.c.dwelling_id == dwelling_id, profiles.c.left_at.is_(None)
    )


@cache
def _household_query():
    return (
        _summary_query()
        .where(reports.c.author_profile_id.in_(_household_members(bindparam("dwelling_id"))))
        .order_by(reports.c.updated_at.desc())
    )


def for_household(connection: Connection, dwelling_id: str) -> list[dict[str, Any]]:
    """Return the reports of the household living in the dwelling, latest change first."""
    rows = connection.execute(_household_query(), {"dwelling_id": dwelling_id}).mappings()
    return [dict(row) for row in rows]


def open_in_common_areas(
    connection: Connection, building_id: str, dwelling_id: str
) -> list[dict[str, Any]]:
    """Return neighbours' open reports about common areas, with whether we said "me too"."""
    rows = connection.execute(
        _neighbours_query(), {"building_id": building_id, "dwelling_id": dwelling_id}
    ).mappings()
    return [dict(row) for row in rows]


@cache
def _neighbours_query():
    dwelling_id = bindparam("dwelling_id")
    mine = (
        select(report_supporters.c.report_id)
        .where(report_supporters.c.dwelling_id == dwelling_id)
        .scalar_subquery()
    )
    return (
        _summary_query()
        .add_columns(reports.c.id.in_(mine).label("supported"))
        .where(
            reports.c.building_id == bindparam("building_id"),
            reports.c.author_profile_id.not_in(_household_members(dwelling_id)),
            reports.c.location.in_(COMMON_AREAS),
            reports.c.status.in_(rs.OPEN),
        )
        .order_by(reports.c.created_at.desc())
    )


def get(connection: Connection, report_id: str) -> dict[str, Any]:
    """Return one report's summary, or NotFound."""
    row = connection.execute(_summary_query().where(reports.c.id == report_id)).mappings().first()
    if row is None:
        raise NotFound("report_not_found", N_("This report does not exist."))
    return dict(row)


def get_for_tenant(
    connection: Connection, profile: dict[str, Any], report_id: str
) -> dict[str, Any]:
    """Return a report the tenant may see: their household's, or a neighbour's common-area one."""
    report = get(connection, report_id)
    own = report["author_profile_id"] in set(
        connection.execute(_household_members(profile["dwelling_id"])).scalars()
    )
    neighbours = (
        report["building_id"] == profile["building_id"] and report["location"] in COMMON_AREAS
    )
    if not own and not neighbours:
        raise NotFound("report_not_found", N_("This report does not exist."))
    report["own"] = own
    report["supported"] = (
        connection.execute(
            select(report_supporters.c.report_id).where(
                report_supporters.c.report_id == report_id,
                report_supporters.c.dwelling_id == profile["dwelling_id"],
            )
        ).first()
        is not None
    )
    return report


def photo_ids(connection: Connection, report_id: str) -> list[str]:
    """Return the ids of a report's photos in the order they were given."""
    return list(
        connection.execute(
            select(report_photos.c.photo_id)
            .where(report_photos.c.report_id == report_id)
            .order_by(report_photos.c.position)
        ).scalars()
    )


def timeline(
    connection: Connection, report_id: str, with_messages: bool = True
) -> list[dict[str, Any]]:
    """Return status changes and messages of a report, oldest first."""
    entries: list[dict[str, Any]] = [
        {**row, "kind": "status"}
        for row in connection.execute(
            select(
                report_events,
                func.coalesce(staff.c.display_name, report_events.c.actor_name).label("staff_name"),
            )
            .outerjoin(staff, staff.c.id == report_events.c.actor_staff_id)
            .where(report_events.c.report_id == report_id)
        ).mappings()
    ]
    if with_messages:
        entries += [
            {**row, "kind": "message"}
            for row in connection.execute(
                select(
                    report_messages,
                    func.coalesce(profiles.c.display_name, _name_from("tenant")).label(
                        "profile_name"
                    ),
                    func.coalesce(staff.c.display_name, _name_from("agent")).label("staff_name"),
                )
                .outerjoin(profiles, profiles.c.id == report_messages.c.author_profile_id)
                .outerjoin(staff, staff.c.id == report_messages.c.author_staff_id)
                .where(report_messages.c.report_id == report_id)
            ).mappings()
        ]
    return sorted(entries, key=lambda entry: entry["created_at"])


def at_a_glance(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Return what a household looks for first in a report's timeline: the day of the
    planned visit while one is planned, and the landlord's last words (a message, or the
    note of a status change) with when they came."""
    statuses = [entry for entry in entries if entry["kind"] == "status"]
    last_status = statuses[-1] if statuses else None
    planned = (
        last_status["scheduled_for"]
        if last_status and last_status["status"] == rs.SCHEDULED
        else None
    )
    words = [
        (entry["body"] if entry["kind"] == "message" else entry["note"], entry["created_at"])
        for entry in entries
        if (entry["kind"] == "message" and entry["author_kind"] == "agent")
        or (entry["kind"] == "status" and entry["note"])
    ]
    last_words = {"text": words[-1][0], "at": words[-1][1]} if words else None
    return {"planned": planned, "last_words": last_words}


def _name_from(author_kind: str):
    # Messages written on the other side of the link carry their author's name.
    return case((report_messages.c.author_kind == author_kind, report_messages.c.author_name))


def add_tenant_message(
    connection: Connection, profile: dict[str, Any], report_id: str, body: str
) -> str:
    """Add a household member's message to their report; return the message id."""
    report = get_for_tenant(connection, profile, report_id)
    if not report["own"]:
        raise NotFound("report_not_found", N_("This report does not exist."))
    if report["status"] == rs.CLOSED:
        raise DomainError(
            "report_closed", N_("This report is closed. File a new report if needed."), "body"
        )
    body = typed_text.text(body, "body", MAX_MESSAGE, N_("Write your message."))
    message_id = new_id()
    record_message(
        connection, report_id, message_id, body, utcnow(), "tenant", author_profile_id=profile["id"]
    )
    link_messages.tenant_message(connection, message_id)
    return message_id


def record_message(
    connection: Connection,
    report_id: str,
    message_id: str,
    body: str,
    created_at: datetime,
    author_kind: str,
    **author: str | None,
) -> None:
    """Add a message to a report's timeline: the household's ("tenant") or the agent's
    ("agent"), written here (``author_profile_id``, ``author_staff_id``) or on the other
    side of the link (``author_name``). The report is then as new as the message, and the
    household is told of the agent's, as of a status change."""
    connection.execute(
        report_messages.insert().values(
            id=message_id,
            report_id=report_id,
            author_kind=author_kind,
            body=body,
            created_at=created_at,
            **author,
        )
    )
    connection.execute(
        update(reports).where(reports.c.id == report_id).values(updated_at=created_at)
    )
    if author_kind == "agent":
        _tell_household(connection, report_id, "report_reply")


def has_message(connection: Connection, message_id: str) -> bool:
    """Tell whether a message is already in a report's timeline."""
    found = select(report_messages.c.id).where(report_messages.c.id == message_id)
    return connection.execute(found).first() is not None


def me_too(connection: Connection, profile: dict[str, Any], report_id: str) -> bool:
    """Add the household to a neighbour's common-area report; False if already there."""
    report = get_for_tenant(connection, profile, report_id)
    if report["own"]:
        raise DomainError("me_too_own", N_("This is your own report."))
    if report["status"] not in rs.OPEN:
        raise DomainError("me_too_closed", N_("This report is no longer open."))
    if report["supported"]:
        return False
    now = utcnow()
    record_support(connection, report_id, profile["dwelling_id"], now, profile["id"])
    link_messages.report_supported(connection, report_id, profile["dwelling_id"], now)
    return True


def record_support(
    connection: Connection,
    report_id: str,
    dwelling_id: str,
    created_at: datetime,
    profile_id: str | None = None,
) -> None:
    """Count a household among those with the same problem, once (``profile_id``: who said
    so, when it was said here)."""
    already = connection.execute(
        select(report_supporters.c.report_id).where(
            report_supporters.c.report_id == report_id,
            report_supporters.c.dwelling_id == dwelling_id,
        )
    ).first()
    if already is None:
        connection.execute(
            report_supporters.insert().values(
                report_id=report_id,
                dwelling_id=dwelling_id,
                profile_id=profile_id,
                created_at=created_at,
            )
        )


@dataclass(frozen=True)
class AgentFilter:
    """Which reports an agent's list keeps: of these buildings, and of this status
    ("open": any not solved), kind of problem and age, when given."""

    building_ids: list[str]
    status: str | None = None
    category: str | None = None
    age: str | None = None
    reference: str | None = None

    def conditions(self, now: datetime) -> list[ColumnElement]:
        """Return the conditions on the reports the filter keeps, as of ``now``."""
        kept: list[ColumnElement] = [reports.c.building_id.in_(self.building_ids)]
        if self.status == "open":
            kept.append(reports.c.status.in_(rs.OPEN))
        elif self.status:
            kept.append(reports.c.status == self.status)
        if self.category:
            kept.append(reports.c.category == self.category)
        if self.reference:
            kept.append(_with_reference(self.reference))
        if self.age in AGES:
            at_least, less_than = AGES[self.age]
            if at_least is not None:
                kept.append(reports.c.created_at <= now - timedelta(days=at_least))
            if less_than is not None:
                kept.append(reports.c.created_at > now - timedelta(days=less_than))
        return kept


def _with_reference(typed: str) -> ColumnElement:
    read = read_reference(typed)
    if read is None:
        return false()
    code, number = read
    if code is None:
        return reports.c.number == number
    of_code = select(buildings.c.id).where(buildings.c.code == code).scalar_subquery()
    return (reports.c.number == number) & (reports.c.building_id == of_code)


def for_agent(
    connection: Connection,
    chosen: AgentFilter,
    now: datetime | None = None,
    after: str | None = None,
    size: int = AGENT_PAGE_SIZE,
) -> paging.Page:
    """Return a page of the reports the filter keeps, oldest first: the first ones, or
    those after ``after`` (a page's ``rest``)."""
    conditions = chosen.conditions(now or utcnow())
    if after:
        conditions.append(paging.beyond(reports, after, newest_first=False, field="after"))
    query = (
        _summary_query()
        .where(*conditions)
        .order_by(reports.c.created_at, reports.c.id)
        .limit(size + 1)
    )
    return paging.cut([dict(row) for row in connection.execute(query).mappings()], size)


def count_for_agent(
    connection: Connection, chosen: AgentFilter, now: datetime | None = None
) -> int:
    """Return how many reports the filter keeps, on every page."""
    query = select(func.count()).select_from(reports).where(*chosen.conditions(now or utcnow()))
    return connection.execute(query).scalar()


def household(connection: Connection, report_id: str) -> dict[str, Any]:
    """Return what the report says of the household that filed it: the member's name,
    language and contact as they were then, and the dwelling. Only for the agents who
    handle the building's reports (``staff_buildings.report_household``)."""
    row = connection.execute(
        select(
            *(reports.c[name] for name in HOUSEHOLD_COLUMNS),
            dwellings.c.reference.label("dwelling_reference"),
            dwellings.c.staircase,
            dwellings.c.floor,
        )
        .join(dwellings, dwellings.c.id == reports.c.dwelling_id)
        .where(reports.c.id == report_id)
    ).mappings()
    found = row.first()
    if found is None:
        raise NotFound("report_not_found", N_("This report does not exist."))
    return dict(found)


def duplicate_candidates(connection: Connection, report: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the reports this one may repeat: the other open reports of its building,
    of the same kind first, the most recent first."""
    same_kind = case((reports.c.category == report["category"], 0), else_=1)
    query = (
        _summary_query()
        .where(
            reports.c.building_id == report["building_id"],
            reports.c.id != report["id"],
            reports.c.status.in_(rs.OPEN),
        )
        .order_by(same_kind, reports.c.created_at.desc(), reports.c.id)
    )
    return [dict(row) for row in connection.execute(query).mappings()]


def move(
    connection: Connection,
    agent: dict[str, Any],
    report_id: str,
    target: str,
    message: str = "",
    scheduled_for: date | None = None,
    duplicate_of: str | None = None,
    today: date | None = None,
) -> None:
    """Move a report to a new status on behalf of an agent, with a message for the tenant.

    The move is written to the audit log, as every staff action is, and travels to the
    report's box when made at the hub.
    """
    _refuse_on_linked_box(connection)
    report = get(connection, report_id)
    if report["building_id"] not in agent["building_ids"]:
        raise NotFound("report_not_found", N_("This report does not exist."))
    if target not in rs.STATUSES or not rs.may_move(report["status"], target):
        raise DomainError(
            "move_not_allowed", N_("A report cannot go from this status to that one."), "status"
        )
    message = typed_text.text(message, "message", MAX_MESSAGE)
    if target in rs.NEEDS_REASON and not message:
        raise DomainError("reason_missing", N_("Explain the reason to the tenant."), "message")
    if target != rs.SCHEDULED:
        scheduled_for = None
    elif scheduled_for is None:
        raise DomainError("date_missing", N_("Give the planned date."), "scheduled_for")
    elif scheduled_for < (today or utcnow().date()):
        raise DomainError(
            "date_past", N_("The planned date cannot be in the past."), "scheduled_for"
        )
    original = _original(connection, report, duplicate_of) if target == rs.DUPLICATE else None
    audit.record(
        connection,
        agent["id"],
        "report.move",
        f"report:{report['reference']}",
        status=target,
        scheduled_for=scheduled_for,
        duplicate_of=original["reference"] if original else None,
        with_message=bool(message),
    )
    event_id = new_id()
    record_status(
        connection,
        report_id,
        event_id,
        target,
        message,
        utcnow(),
        scheduled_for=scheduled_for,
        duplicate_of=original["id"] if original else None,
        actor_staff_id=agent["id"],
    )
    link_messages.status_changed(connection, event_id, agent["display_name"])


def record_status(
    connection: Connection,
    report_id: str,
    event_id: str,
    status: str,
    note: str,
    created_at: datetime,
    scheduled_for: date | None = None,
    duplicate_of: str | None = None,
    **actor: str | None,
) -> None:
    """Record that a report moved to a status, made here by an agent (``actor_staff_id``)
    or at the hub (``actor_name``), and tell its household: the report keeps its planned
    date or its original unless the status is about them."""
    moved: dict[str, Any] = {"status": status, "updated_at": created_at}
    if status == rs.SCHEDULED:
        moved["scheduled_for"] = scheduled_for
    if status == rs.DUPLICATE:
        moved["duplicate_of"] = duplicate_of
    connection.execute(update(reports).where(reports.c.id == report_id).values(**moved))
    connection.execute(
        report_events.insert().values(
            id=event_id,
            report_id=report_id,
            status=status,
            note=note,
            scheduled_for=scheduled_for,
            duplicate_of=duplicate_of,
            created_at=created_at,
            **actor,
        )
    )
    planned = {"scheduled_for": scheduled_for.isoformat()} if moved.get("scheduled_for") else {}
    _tell_household(connection, report_id, "report_status", status=status, **planned)


def has_status_change(connection: Connection, event_id: str) -> bool:
    """Tell whether a status change is already in a report's timeline."""
    found = select(report_events.c.id).where(report_events.c.id == event_id)
    return connection.execute(found).first() is not None


def _tell_household(connection: Connection, report_id: str, kind: str, **detail: str) -> None:
    """Tell the people of the report's home (on their box) what the landlord did: a
    notification of ``kind`` naming the report's reference."""
    report = connection.execute(
        select(
            reference_of(buildings.c.code, reports.c.number).label("reference"),
            reports.c.dwelling_id,
        )
        .join(buildings, buildings.c.id == reports.c.building_id)
        .where(reports.c.id == report_id)
    ).one()
    notifications.tell(
        connection,
        notifications.household_of(connection, report.dwelling_id),
        kind,
        report_id,
        number=report.reference,
        **detail,
    )


def reply(connection: Connection, agent: dict[str, Any], report_id: str, body: str) -> str:
    """Send the agent's message to the household without changing the status."""
    _refuse_on_linked_box(connection)
    report = get(connection, report_id)
    if report["building_id"] not in agent["building_ids"]:
        raise NotFound("report_not_found", N_("This report does not exist."))
    body = typed_text.text(body, "body", MAX_MESSAGE, N_("Write your message."))
    audit.record(connection, agent["id"], "report.reply", f"report:{report['reference']}")
    message_id = new_id()
    record_message(
        connection, report_id, message_id, body, utcnow(), "agent", author_staff_id=agent["id"]
    )
    link_messages.agent_message(connection, message_id, agent["display_name"])
    return message_id


def _refuse_on_linked_box(connection: Connection) -> None:
    # One place answers a report: the hub's console once the box is linked to it.
    if side.is_linked_box(connection):
        raise DomainError(
            "answered_at_hub", N_("Reports of this building are answered in the hub's console.")
        )


def _original(
    connection: Connection, report: dict[str, Any], original_id: str | None
) -> dict[str, Any]:
    """Return the report a duplicate repeats: another report of the same building, not
    itself a duplicate; anything else is refused in the agent's words."""
    if not original_id:
        raise DomainError(
            "duplicate_missing", N_("Choose the report that came first."), "duplicate_of"
        )
    original = connection.execute(
        select(reports.c.id, reports.c.building_id, reports.c.status).where(
            reports.c.id == original_id
        )
    ).first()
    if (
        original is None
        or original.id == report["id"]
        or original.building_id != report["building_id"]
        or original.status == rs.DUPLICATE
    ):
        raise DomainError(
            "duplicate_unknown",
            N_("Choose another report of this building, from the list."),
            "duplicate_of",
        )
    return {"id": original.id, "reference": reference_of_report(connection, original.id)}


def reference_of_report(connection: Connection, report_id: str) -> str | None:
    """Return the reference people use for a report ("BA-12")."""
    return connection.execute(
        select(reference_of(buildings.c.code, reports.c.number))
        .join(buildings, buildings.c.id == reports.c.building_id)
        .where(reports.c.id == report_id)
    ).scalar()
