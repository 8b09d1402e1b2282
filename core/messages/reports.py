"""Reports between a box and the hub: a box sends its tenants' reports (photos first),
their messages and "me too"; the hub sends back the agents' status changes and messages.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from core.domain import report_status as rs
from core.domain import side
from core.domain.report_limits import MAX_DESCRIPTION, MAX_MESSAGE, MAX_PHOTOS
from core.messages.fields import Choice, Day, Id, Ids, Integer, Moment, Text
from core.messages.outgoing import Body, Part, to_boxes_of, to_hub
from core.messages.photos import photo_added
from core.storage.schema import (
    dwellings,
    profiles,
    report_events,
    report_messages,
    report_photos,
    reports,
)


class Dwelling(Part):
    """The home a report is about."""

    id: Id
    building_id: Id
    reference: Text(40)
    staircase: Text(20)
    floor: Integer()


class Household(Part):
    """Who filed a report, as they were then, for the agents who handle the building's
    reports: to arrange a visit and to answer in the household's language."""

    name: Text(60) | None = None
    locale: Text(8) | None = None
    contact: Text(200) | None = None


class FiledReport(Part):
    id: Id
    number: Integer()
    building_id: Id
    category: Text(20)
    location: Text(20)
    description: Text(MAX_DESCRIPTION)
    created_at: Moment


class ReportFiled(Body):
    """A box → hub: a new report, after its photos."""

    KIND = "report.filed"
    report: FiledReport
    dwelling: Dwelling
    photo_ids: Ids(MAX_PHOTOS)
    # Sent since the agents see who filed a report; older boxes send none.
    household: Household | None = None


class ReportMessage(Body):
    """A household's message to the agent (box → hub), or the agent's (hub → box)."""

    KIND = "report.message"
    message_id: Id
    report_id: Id
    body: Text(MAX_MESSAGE)
    author_name: Text(100) | None = None
    created_at: Moment


class ReportSupported(Body):
    """Box → hub: one more household has the same problem ("me too")."""

    KIND = "report.supported"
    report_id: Id
    dwelling: Dwelling
    created_at: Moment


class ReportStatus(Body):
    """Hub → box: the agent moved the report to a status, with a note for the tenant."""

    KIND = "report.status"
    event_id: Id
    report_id: Id
    status: Choice("status", rs.STATUSES)
    note: Text(MAX_MESSAGE)
    scheduled_for: Day | None = None
    duplicate_of: Id | None = None
    actor_name: Text(100) | None = None
    created_at: Moment


def _dwelling(connection: Connection, dwelling_id: str) -> Dwelling:
    row = connection.execute(
        select(
            dwellings.c.id,
            dwellings.c.building_id,
            dwellings.c.reference,
            dwellings.c.staircase,
            dwellings.c.floor,
        ).where(dwellings.c.id == dwelling_id)
    )
    return Dwelling(**row.mappings().one())


def _name(connection: Connection, profile_id: str | None) -> str | None:
    if profile_id is None:
        return None
    return connection.execute(
        select(profiles.c.display_name).where(profiles.c.id == profile_id)
    ).scalar()


# Box → hub


def report_filed(connection: Connection, report_id: str) -> None:
    """Tell the hub about a new report, its photos first."""
    if not side.is_linked_box(connection):
        return
    report = connection.execute(select(reports).where(reports.c.id == report_id)).mappings().one()
    photo_ids = list(
        connection.execute(
            select(report_photos.c.photo_id)
            .where(report_photos.c.report_id == report_id)
            .order_by(report_photos.c.position)
        ).scalars()
    )
    for photo_id in photo_ids:
        to_hub(connection, photo_added(connection, photo_id), report_id)
    filed = ReportFiled(
        report=FiledReport(**{name: report[name] for name in FiledReport.model_fields}),
        dwelling=_dwelling(connection, report["dwelling_id"]),
        photo_ids=photo_ids,
        household=Household(
            name=report["household_name"],
            locale=report["household_locale"],
            contact=report["household_contact"],
        ),
    )
    to_hub(connection, filed, report_id)


def tenant_message(connection: Connection, message_id: str) -> None:
    """Tell the hub about a household's message on its report."""
    if not side.is_linked_box(connection):
        return
    message = (
        connection.execute(select(report_messages).where(report_messages.c.id == message_id))
        .mappings()
        .one()
    )
    body = ReportMessage(
        message_id=message["id"],
        report_id=message["report_id"],
        body=message["body"],
        author_name=_name(connection, message["author_profile_id"]),
        created_at=message["created_at"],
    )
    to_hub(connection, body, message["report_id"])


def report_supported(
    connection: Connection, report_id: str, dwelling_id: str, created_at: datetime
) -> None:
    """Tell the hub that one more household has the same problem ("me too")."""
    if not side.is_linked_box(connection):
        return
    body = ReportSupported(
        report_id=report_id, dwelling=_dwelling(connection, dwelling_id), created_at=created_at
    )
    to_hub(connection, body, report_id)


# Hub → boxes


def _to_box_of_report(connection: Connection, body: Body, report_id: str, only: str | None) -> None:
    """Queue the message for the box of the report's building."""
    building_id = connection.execute(
        select(reports.c.building_id).where(reports.c.id == report_id)
    ).scalar_one()
    to_boxes_of(connection, [building_id], body, report_id, only=only)


def status_changed(
    connection: Connection, event_id: str, actor_name: str | None, only: str | None = None
) -> None:
    """Tell the box of the report's building about the agent's status change (``only``:
    that box alone, bringing it up to date)."""
    event = (
        connection.execute(select(report_events).where(report_events.c.id == event_id))
        .mappings()
        .one()
    )
    body = ReportStatus(
        event_id=event["id"],
        report_id=event["report_id"],
        status=event["status"],
        note=event["note"],
        scheduled_for=event["scheduled_for"],
        duplicate_of=event["duplicate_of"],
        actor_name=actor_name,
        created_at=event["created_at"],
    )
    _to_box_of_report(connection, body, event["report_id"], only)


def agent_message(
    connection: Connection, message_id: str, author_name: str | None, only: str | None = None
) -> None:
    """Tell the box of the report's building about the agent's message (``only``: that
    box alone, bringing it up to date)."""
    message = (
        connection.execute(select(report_messages).where(report_messages.c.id == message_id))
        .mappings()
        .one()
    )
    body = ReportMessage(
        message_id=message["id"],
        report_id=message["report_id"],
        body=message["body"],
        author_name=author_name,
        created_at=message["created_at"],
    )
    _to_box_of_report(connection, body, message["report_id"], only)
