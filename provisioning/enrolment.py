"""Bringing a box into the fleet: the hub issues an enrolment, the box accepts it.

At the hub, an operator enrols a box for some buildings: the box gets its own broker
credentials and a numbered link with the hub. The enrolment file carries those
credentials, the broker's address and certificate authority, and the buildings with
their residences (same ids on both sides, so reports and news point at the same rows).
It is a secret: it goes to the box by hand, like the box's SD card.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from core.domain import catch_up, fleet, public_names, side
from core.storage.schema import buildings, residences
from link import settings
from provisioning.broker_credentials import issue_box_credentials


def enrol_box(
    connection: Connection,
    password_file: Path,
    box_id: str,
    label: str,
    building_ids: list[str],
    broker: dict[str, Any],
    box_domain: str = "",
) -> dict[str, Any]:
    """At the hub: enrol a box for the buildings and return its enrolment.

    ``broker`` holds ``host``, ``port`` and, for TLS, ``ca_pem`` (the authority's
    certificate) as boxes must reach it. Under a ``box_domain``, the box gets its public
    name, sent over the link. Reload the broker afterwards so it knows the new password.
    """
    side.become_hub(connection)
    fleet.enrol(connection, box_id, label, building_ids)
    catch_up.box(connection, box_id, building_ids)
    public_names.assign(connection, box_id, box_domain)
    password = issue_box_credentials(password_file, box_id)
    rows = connection.execute(
        select(buildings).where(buildings.c.id.in_(building_ids)).order_by(buildings.c.name)
    ).mappings()
    chosen = [dict(row) for row in rows]
    residence_ids = sorted({row["residence_id"] for row in chosen})
    homes = connection.execute(
        select(residences).where(residences.c.id.in_(residence_ids))
    ).mappings()
    return {
        "box_id": box_id,
        "label": label,
        "broker": broker,
        "password": password,
        "residences": [dict(row) for row in homes],
        "buildings": chosen,
    }


def accept_enrolment(connection: Connection, data_dir: Path, enrolment: dict[str, Any]) -> None:
    """On the box: take the buildings and the link to the hub from an enrolment."""
    for residence in enrolment["residences"]:
        if not connection.execute(
            select(residences.c.id).where(residences.c.id == residence["id"])
        ).first():
            connection.execute(residences.insert().values(**residence))
    for building in enrolment["buildings"]:
        if not connection.execute(
            select(buildings.c.id).where(buildings.c.id == building["id"])
        ).first():
            connection.execute(buildings.insert().values(**building))
    side.become_box(connection, enrolment["box_id"])
    catch_up.hub(connection)
    broker = enrolment["broker"]
    ca_file = None
    if broker.get("ca_pem"):
        ca_path = data_dir / "hub-ca.pem"
        ca_path.write_text(broker["ca_pem"], encoding="ascii")
        ca_file = str(ca_path)
    settings.write(
        data_dir / settings.BOX_FILE,
        {
            "box_id": enrolment["box_id"],
            "broker_host": broker["host"],
            "broker_port": broker["port"],
            "ca_file": ca_file,
            "username": enrolment["box_id"],
            "password": enrolment["password"],
        },
    )
