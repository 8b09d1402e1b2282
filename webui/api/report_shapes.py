"""What the API answers about reports, to tenants and to staff."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from core.domain import report_status as rs
from core.domain import reports
from webui.api.fields import Answer, Body, Count, Date, Id, Instant, Text
from webui.api.shared_shapes import BuildingRef, DwellingRef, Photo, building_of
from webui.i18n import translate

_STATUS = Field(json_schema_extra={"enum": list(rs.STATUSES)})


class MessageRequest(Body):
    """A message."""

    body: Text


class Report(Answer):
    """A report to the landlord."""

    id: Id
    number: int = Field(description="The report's number in its building.")
    reference: str = Field(
        description="What people quote, unique across the hub: the building's code and the "
        'number ("BA-12").'
    )
    category: str = Field(json_schema_extra={"enum": list(reports.CATEGORIES)})
    category_label: str
    location: str = Field(json_schema_extra={"enum": list(reports.LOCATIONS)})
    location_label: str
    description: str
    status: str = _STATUS
    status_label: str
    status_explanation: str
    open: bool
    scheduled_for: Date | None
    duplicate_of: Id | None = Field(description="The report this one repeats.")
    building: BuildingRef
    me_too_count: Count
    photo_count: Count
    own: bool = Field(description="Filed by the tenant's household.")
    supported: bool = Field(description='The tenant\'s household said "me too".')
    delivered_to_landlord: bool = Field(
        description='False while part of the report (itself, a message, a "me too") has '
        "waited over two minutes on the box to reach the landlord: the link to the hub is "
        "down. Always true where the box is not linked to a hub."
    )
    created_at: Instant
    updated_at: Instant

    @staticmethod
    def fields(found: dict[str, Any], own: bool, supported: bool, delivered: bool) -> dict:
        """The report's fields as a tenant sees it in a list."""
        status = found["status"]
        return {
            "id": found["id"],
            "number": found["number"],
            "reference": found["reference"],
            "category": found["category"],
            "category_label": translate(reports.CATEGORIES[found["category"]]),
            "location": found["location"],
            "location_label": translate(reports.LOCATIONS[found["location"]]),
            "description": found["description"],
            "status": status,
            "status_label": translate(rs.LABELS[status]),
            "status_explanation": translate(rs.EXPLANATIONS[status]),
            "open": status in rs.OPEN,
            "scheduled_for": found["scheduled_for"],
            "duplicate_of": found["duplicate_of"],
            "building": building_of(found),
            "me_too_count": found["me_too_count"],
            "photo_count": found["photo_count"],
            "own": own,
            "supported": supported,
            "delivered_to_landlord": delivered,
            "created_at": found["created_at"],
            "updated_at": found["updated_at"],
        }

    @classmethod
    def of(cls, found: dict[str, Any], own: bool, supported: bool, delivered: bool) -> Report:
        """A report as a tenant sees it; ``delivered`` is False while the box still holds
        something of it (itself, a message, a "me too") that the landlord has not received."""
        return cls(**cls.fields(found, own, supported, delivered))


class ReportLists(Answer):
    """The household's reports, and apart from them neighbours' open common-area ones."""

    mine: list[Report]
    neighbours: list[Report]


class StatusEntry(Answer):
    """A status change."""

    kind: Literal["status"]
    id: Id
    at: Instant
    status: str = _STATUS
    status_label: str
    note: str = Field(description="The agent's message to the household (may be empty).")
    scheduled_for: Date | None
    duplicate_of: Id | None
    staff_name: str | None = Field(description="Shown to staff only.")


class MessageEntry(Answer):
    """A message between the household and the landlord."""

    kind: Literal["message"]
    id: Id
    at: Instant
    author_kind: Literal["tenant", "agent"]
    author_name: str | None = Field(description="An agent's name is shown to staff only.")
    body: str


TimelineEntry = Annotated[StatusEntry | MessageEntry, Field(discriminator="kind")]


def timeline_entry(entry: dict[str, Any], for_staff: bool) -> StatusEntry | MessageEntry:
    """One status change or message; tenants see "the landlord", not the agent's name."""
    if entry["kind"] == "status":
        return StatusEntry(
            kind="status",
            id=entry["id"],
            at=entry["created_at"],
            status=entry["status"],
            status_label=translate(rs.LABELS[entry["status"]]),
            note=entry["note"],
            scheduled_for=entry["scheduled_for"],
            duplicate_of=entry["duplicate_of"],
            staff_name=entry["staff_name"] if for_staff else None,
        )
    agent = entry["author_kind"] == "agent"
    return MessageEntry(
        kind="message",
        id=entry["id"],
        at=entry["created_at"],
        author_kind=entry["author_kind"],
        author_name=(entry["staff_name"] if for_staff else None)
        if agent
        else entry["profile_name"],
        body=entry["body"],
    )


class ReportDetail(Report):
    """A report with its photos and its timeline, oldest first (messages: own reports only)."""

    photos: list[Photo]
    timeline: list[TimelineEntry]


class StaffReport(Report):
    """A report as staff see it."""

    dwelling: DwellingRef
    next_statuses: list[Annotated[str, _STATUS]]

    @staticmethod
    def staff_fields(found: dict[str, Any], delivered: bool) -> dict:
        """The report's fields as staff see it: with the dwelling and where it may go."""
        return {
            **Report.fields(found, own=False, supported=False, delivered=delivered),
            "dwelling": DwellingRef(id=found["dwelling_id"], reference=found["dwelling_reference"]),
            "next_statuses": rs.next_statuses(found["status"]),
        }

    @classmethod
    def of_staff(cls, found: dict[str, Any], delivered: bool) -> StaffReport:
        return cls(**cls.staff_fields(found, delivered))


class StaffReportList(Answer):
    """A page of the reports the filters keep, oldest first."""

    reports: list[StaffReport]
    total: int = Field(description="How many the filters keep, on every page.")
    newer: str | None = Field(
        description="Where the newer reports start (the next page's `after`); null when "
        "there are no more."
    )


class ReportHousehold(Answer):
    """Who filed a report and how to reach them, as they were when it was filed."""

    name: str | None = Field(description="The household member who filed it.")
    locale: str | None = Field(description="The language they read and write (fr, en, ar).")
    contact: str | None = Field(description="How they agreed to be reached.")
    dwelling_reference: str
    staircase: str
    floor: int

    @classmethod
    def of(cls, found: dict[str, Any]) -> ReportHousehold:
        return cls(
            name=found["household_name"],
            locale=found["household_locale"],
            contact=found["household_contact"],
            dwelling_reference=found["dwelling_reference"],
            staircase=found["staircase"],
            floor=found["floor"],
        )


class StaffReportDetail(StaffReport):
    """A report with its photos and its whole timeline."""

    photos: list[Photo]
    timeline: list[TimelineEntry]
    household: ReportHousehold | None = Field(
        description="Only for the landlord agents who handle the building's reports."
    )


def photos(photo_ids: list[str]) -> list[Photo]:
    """The report's photos, in the order they were added."""
    return [Photo.of(photo_id) for photo_id in photo_ids]
