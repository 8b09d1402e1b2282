"""Each box's public name at the hub: ``<building>.<box_domain>``, chosen by the hub alone.

Phones trust a certificate only for a name in the public DNS, so a box under the
landlord's domain gets one made from its building's name (``Bâtiment A`` →
``batiment-a.micocouliers.bailleur.example``). The box never chooses it: it could
otherwise ask for a certificate in another building's name.
"""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from core.domain import fleet, lan_names
from core.messages import outgoing
from core.messages.certificates import CertificateNamed
from core.storage.schema import box_certificates, boxes, buildings

# A DNS label is 63 characters at most; room is left for "-2", "-3"… when two buildings
# are named alike.
LABEL_MOST = 56


def slug(text: str) -> str:
    """Return a DNS label from a building's name (``Bâtiment A`` → ``batiment-a``), as the
    box's name on the network is made, with room left for a number."""
    return lan_names.host_label(text)[:LABEL_MOST].rstrip("-")


def name_of(connection: Connection, box_id: str) -> str | None:
    """Return the box's public name (at the hub, or on the box itself), None if it has none."""
    return connection.execute(
        select(box_certificates.c.name).where(box_certificates.c.box_id == box_id)
    ).scalar()


def assign(connection: Connection, box_id: str, domain: str) -> str | None:
    """At the hub, give the box a name under ``domain`` unless it has one there already,
    and tell the box; return its name (None when there is no domain)."""
    domain = domain.strip().strip(".").lower()
    if not domain:
        return None
    current = name_of(connection, box_id)
    if current is not None and current.endswith("." + domain):
        return current
    name = _free_name(connection, _label_for(connection, box_id), domain)
    if current is None:
        connection.execute(box_certificates.insert().values(box_id=box_id, name=name))
    else:
        # Under another domain: the request and any chain were for the old name.
        connection.execute(
            update(box_certificates)
            .where(box_certificates.c.box_id == box_id)
            .values(name=name, request=None, wanted=False, attempts=0, last_error=None)
        )
    outgoing.to_box(connection, box_id, CertificateNamed(name=name), box_id)
    return name


def assign_all(connection: Connection, domain: str) -> list[str]:
    """At the hub, name every enrolled box that has no name under ``domain``; return which
    boxes were named."""
    domain = domain.strip().strip(".").lower()
    if not domain:
        return []
    # One query whatever the fleet's size: the process asks every minute.
    unnamed = connection.execute(
        select(boxes.c.id)
        .outerjoin(box_certificates, box_certificates.c.box_id == boxes.c.id)
        .where(
            box_certificates.c.name.is_(None)
            | ~box_certificates.c.name.endswith("." + domain, autoescape=True)
        )
        .order_by(boxes.c.enrolled_at, boxes.c.id)
    ).scalars()
    named = list(unnamed)
    for box_id in named:
        assign(connection, box_id, domain)
    return named


def _label_for(connection: Connection, box_id: str) -> str:
    served = fleet.buildings_of(connection, box_id)
    first = connection.execute(
        select(buildings.c.name).where(buildings.c.id.in_(served)).order_by(buildings.c.name)
    ).first()
    if first is not None:
        return slug(first.name)
    label = connection.execute(select(boxes.c.label).where(boxes.c.id == box_id)).scalar()
    return slug(label or box_id)


def _free_name(connection: Connection, label: str, domain: str) -> str:
    taken = set(connection.execute(select(box_certificates.c.name)).scalars())
    name, number = f"{label}.{domain}", 1
    while name in taken:
        number += 1
        name = f"{label}-{number}.{domain}"
    return name
