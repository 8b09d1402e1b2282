"""A staff member's buildings, and what is in them: the only ones they may see or touch.

``staff`` is the signed-in staff member as ``people.get_staff`` returns them; anything
outside their ``building_ids`` is answered as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from core.domain import estate, news, news_listing, reports, roles, works
from core.domain.errors import N_, DomainError, NotFound


def buildings(connection: Connection, staff: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the staff member's buildings with their residence, by name."""
    return estate.list_buildings(connection, staff["building_ids"])


def building(connection: Connection, staff: dict[str, Any], building_id: str) -> dict[str, Any]:
    """Return one of the staff member's buildings; any other is as if it did not exist."""
    if building_id not in staff["building_ids"]:
        raise NotFound("building_not_found", N_("This building does not exist."))
    return estate.get_building(connection, building_id)


def chosen_building(
    connection: Connection, staff: dict[str, Any], building_id: str
) -> dict[str, Any]:
    """Return the building chosen in a form, or refuse a choice that is not one of theirs."""
    if building_id not in staff["building_ids"]:
        raise DomainError("building_unknown", N_("Choose one of your buildings."), "building_id")
    return estate.get_building(connection, building_id)


def dwelling(connection: Connection, staff: dict[str, Any], dwelling_id: str) -> dict[str, Any]:
    """Return a dwelling of one of the staff member's buildings, with its building's name."""
    found = estate.get_dwelling(connection, dwelling_id)
    if found["building_id"] not in staff["building_ids"]:
        raise NotFound("dwelling_not_found", N_("This dwelling does not exist."))
    return found


def report(connection: Connection, staff: dict[str, Any], report_id: str) -> dict[str, Any]:
    """Return a report from one of the staff member's buildings."""
    found = reports.get(connection, report_id)
    if found["building_id"] not in staff["building_ids"]:
        raise NotFound("report_not_found", N_("This report does not exist."))
    return found


def report_household(
    connection: Connection, staff: dict[str, Any], report_id: str
) -> dict[str, Any] | None:
    """Return who filed a report and how to reach them for the staff member who handles
    its building's reports; None for anyone else, who has no need of it."""
    found = report(connection, staff, report_id)
    if not roles.may(staff["role"], roles.HANDLE_REPORTS):
        return None
    return reports.household(connection, found["id"])


def news_item(
    connection: Connection, staff: dict[str, Any], news_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the publisher the staff member writes as and one of its news items shown
    in their buildings or around them."""
    publisher = news.publisher_for(connection, staff)
    if publisher is None:
        raise NotFound("news_not_found", N_("This news does not exist or has ended."))
    found = news_listing.one_of_publisher(
        connection, publisher["id"], buildings(connection, staff), news_id
    )
    return publisher, found


def works_notice(
    connection: Connection, staff: dict[str, Any], notice_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the publisher the staff member writes as and one of its works notices in
    their buildings or around them."""
    publisher = news.publisher_for(connection, staff)
    if publisher is None:
        raise NotFound("works_not_found", N_("This works notice does not exist."))
    found = works.one_of_publisher(
        connection, publisher["id"], buildings(connection, staff), notice_id
    )
    return publisher, found
