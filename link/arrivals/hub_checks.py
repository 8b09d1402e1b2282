"""What the hub checks before it applies what a box says: boxes are not trusted.

A box speaks only of the buildings it serves, of the reports, posts and events in them,
and never changes what another box sent (docs/PROTOCOL.md, "What one box's credentials
can do"). Anything else is refused, and the message kept aside.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from core.domain import estate, fleet
from core.domain import reports as report_rules
from link.envelope import Refused


def building_served(connection: Connection, box_id: str, building_id: str) -> None:
    """Refuse a building the box does not serve."""
    if building_id not in fleet.buildings_of(connection, box_id):
        raise Refused(f"building {building_id} is not served by box {box_id}")


def own_report(connection: Connection, box_id: str, report_id: str) -> None:
    """Refuse a report the hub does not have, or of a building the box does not serve."""
    building_id = report_rules.building_of(connection, report_id)
    if building_id is None:
        raise Refused(f"report {report_id} is unknown")
    building_served(connection, box_id, building_id)


def keep_dwelling(connection: Connection, box_id: str, dwelling: dict[str, Any]) -> str:
    """Keep the dwelling a box names, new to the hub; refuse one of another building.
    Return its id."""
    building_served(connection, box_id, dwelling["building_id"])
    known = estate.building_of_dwelling(connection, dwelling["id"])
    if known is None:
        estate.copy_dwelling(connection, dwelling)
    elif known != dwelling["building_id"]:
        raise Refused(f"dwelling {dwelling['id']} belongs to another building")
    return dwelling["id"]


def own_publication(
    connection: Connection,
    box_id: str,
    building_id: str,
    residence_id: str,
    before: dict[str, Any] | None,
) -> None:
    """Refuse a post or an event a box publishes for a building it does not serve, under
    another residence than its building's, or over one (``before``) another box
    published."""
    building_served(connection, box_id, building_id)
    if estate.get_building(connection, building_id)["residence_id"] != residence_id:
        raise Refused(f"building {building_id} is not in residence {residence_id}")
    if before is not None:
        building_served(connection, box_id, before["building_id"])


def reaches_box(connection: Connection, box_id: str, item: dict[str, Any]) -> None:
    """Refuse news of a post or an event the box does not show: its building's, or its
    residence's."""
    served = fleet.buildings_of(connection, box_id)
    if item["building_id"] in served:
        return
    if item["scope"] == "residence" and any(
        building["residence_id"] == item["residence_id"]
        for building in estate.list_buildings(connection, served)
    ):
        return
    raise Refused(f"post {item['id']} is not shown by box {box_id}")


def first_said_by(connection: Connection, box_id: str, key: str) -> None:
    """Refuse a box changing or taking back an answer, thanks or reply another box sent."""
    if fleet.origin(connection, key, box_id) != box_id:
        raise Refused(f"{key} was sent by another box")
