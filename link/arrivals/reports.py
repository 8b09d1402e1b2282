"""Reports arriving over the link. At the hub: a box's reports, its households' messages
and "me too", each about a building the box serves. On a box: the agents' status changes
and messages, each about a report of the box; one it already has (a box brought up to
date is sent them again) counts once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from core.domain import reports
from core.domain.errors import DomainError
from core.messages.reports import ReportFiled, ReportMessage, ReportStatus, ReportSupported
from link.arrivals import hub_checks
from link.envelope import Refused


def filed_rows(body: ReportFiled) -> reports.FromBox:
    """Return what a report from a box adds at the hub; refuse one the rules refuse."""
    try:
        return reports.from_box(body)
    except DomainError as error:
        raise Refused(f"report: {error.code}") from None


# At the hub


def report_filed(connection: Connection, box_id: str, body: ReportFiled) -> None:
    filed = filed_rows(body)
    hub_checks.building_served(connection, box_id, filed.report["building_id"])
    hub_checks.keep_dwelling(connection, box_id, filed.dwelling)
    reports.keep_from_box(connection, filed)


def tenant_message(connection: Connection, box_id: str, body: ReportMessage) -> None:
    hub_checks.own_report(connection, box_id, body.report_id)
    reports.record_message(
        connection,
        body.report_id,
        body.message_id,
        body.body,
        body.created_at,
        "tenant",
        author_name=body.author_name,
    )


def report_supported(connection: Connection, box_id: str, body: ReportSupported) -> None:
    hub_checks.own_report(connection, box_id, body.report_id)
    dwelling = {**body.dwelling.model_dump(), "created_at": body.created_at}
    dwelling_id = hub_checks.keep_dwelling(connection, box_id, dwelling)
    reports.record_support(connection, body.report_id, dwelling_id, body.created_at)


# On a box


def _of_this_box(connection: Connection, report_id: str) -> None:
    if reports.building_of(connection, report_id) is None:
        raise Refused(f"report {report_id} is not one of this box")


def report_status(connection: Connection, body: ReportStatus) -> None:
    _of_this_box(connection, body.report_id)
    if reports.has_status_change(connection, body.event_id):
        return
    if body.duplicate_of is not None:
        _of_this_box(connection, body.duplicate_of)
    reports.record_status(
        connection,
        body.report_id,
        body.event_id,
        body.status,
        body.note,
        body.created_at,
        scheduled_for=body.scheduled_for,
        duplicate_of=body.duplicate_of,
        actor_name=body.actor_name,
    )


def agent_message(connection: Connection, body: ReportMessage) -> None:
    _of_this_box(connection, body.report_id)
    if reports.has_message(connection, body.message_id):
        return
    reports.record_message(
        connection,
        body.report_id,
        body.message_id,
        body.body,
        body.created_at,
        "agent",
        author_name=body.author_name,
    )


AT_HUB: dict[type, Callable[..., Any]] = {
    ReportFiled: report_filed,
    ReportMessage: tenant_message,
    ReportSupported: report_supported,
}
AT_BOX: dict[type, Callable[..., Any]] = {
    ReportStatus: report_status,
    ReportMessage: agent_message,
}
