"""At the hub: each box's signing request, the chain obtained for it, and what failed.

The hub's certificate process (``residacoeur hub certificates``) asks the authority for
what is due — a box's new request, or a certificate close to its end — and records the
outcome here. A chain obtained goes to that box alone over the link; a failure is tried
again later, waiting twice as long each time, and shows in the fleet's trouble. The
chain in use is never dropped: only a newer one replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.x509.oid import NameOID
from sqlalchemy import Connection, or_, select, update

from core import box_certificate
from core.domain import public_names
from core.domain.certificate_requests import RequestRefused, check
from core.messages import outgoing
from core.messages.certificates import CertificateIssued
from core.storage.schema import box_certificates

LONGEST_WAIT = timedelta(hours=6)


@dataclass(frozen=True)
class Due:
    """A certificate to obtain: the box, its name and the request to have signed."""

    box_id: str
    name: str
    request: str
    renewal: bool


def take_request(connection: Connection, box_id: str, name: str, pem: str, now: datetime) -> None:
    """Keep a box's signing request for its own name; raise RequestRefused otherwise."""
    given = public_names.name_of(connection, box_id)
    if given is None:
        raise RequestRefused(f"box {box_id} has no public name")
    if name != given:
        raise RequestRefused(f"box {box_id} asks for {name}, its name is {given}")
    check(pem, given)
    row = _row(connection, box_id)
    if row["wanted"] and row["request"] == pem:
        # Asked again while the hub is still trying: its wait between attempts stands.
        return
    connection.execute(
        update(box_certificates)
        .where(box_certificates.c.box_id == box_id)
        .values(request=pem, requested_at=now, wanted=True, retry_at=None)
    )


def due(connection: Connection, now: datetime, renew_before: timedelta) -> list[Due]:
    """Return what to ask the authority for now: new requests, and certificates with less
    than ``renew_before`` left, but those waiting after a failure."""
    c = box_certificates.c
    rows = connection.execute(
        select(c.box_id, c.name, c.request, c.wanted)
        .where(
            c.request.is_not(None),
            or_(c.retry_at.is_(None), c.retry_at <= now),
            or_(c.wanted, c.not_after <= now + renew_before),
        )
        .order_by(c.requested_at)
    ).mappings()
    return [Due(r["box_id"], r["name"], r["request"], not r["wanted"]) for r in rows]


def record_issued(connection: Connection, due_item: Due, chain_pem: str, now: datetime) -> None:
    """Keep the chain obtained and send it to the box."""
    chain = x509.load_pem_x509_certificates(chain_pem.encode())
    facts = box_certificate.facts_of(chain)
    c = box_certificates.c
    values: dict[str, Any] = {
        "chain": chain_pem,
        "issuer": _issuer(chain[0])[:200],
        "not_after": facts.not_after.replace(tzinfo=None),
        "issued_at": now,
        "attempts": 0,
        "last_error": None,
        "failed_at": None,
        "retry_at": None,
        "refusal": None,
        "refused_at": None,
    }
    connection.execute(update(box_certificates).where(c.box_id == due_item.box_id).values(values))
    # A newer request that came meanwhile is still wanted.
    connection.execute(
        update(box_certificates)
        .where(c.box_id == due_item.box_id, c.request == due_item.request)
        .values(wanted=False)
    )
    outgoing.to_box(
        connection,
        due_item.box_id,
        CertificateIssued(name=due_item.name, chain=chain_pem),
        due_item.box_id,
    )


def record_failure(
    connection: Connection, box_id: str, error: str, now: datetime, first_wait: timedelta
) -> datetime:
    """Keep why obtaining the box's certificate failed; return when it is tried again."""
    attempts = _row(connection, box_id)["attempts"] + 1
    wait = min(first_wait * 2 ** (attempts - 1), LONGEST_WAIT)
    connection.execute(
        update(box_certificates)
        .where(box_certificates.c.box_id == box_id)
        .values(attempts=attempts, last_error=error[:300], failed_at=now, retry_at=now + wait)
    )
    return now + wait


def record_refusal(connection: Connection, box_id: str, reason: str, now: datetime) -> None:
    """Keep why the box would not install the chain it was sent."""
    connection.execute(
        update(box_certificates)
        .where(box_certificates.c.box_id == box_id)
        .values(refusal=reason[:200], refused_at=now)
    )


def of_boxes(connection: Connection, box_ids: list[str] | None = None) -> dict[str, dict]:
    """Return each named box's name, certificate and last trouble, by box id."""
    c = box_certificates.c
    query = select(
        c.box_id,
        c.name,
        c.issuer,
        c.not_after,
        c.issued_at,
        c.wanted,
        c.attempts,
        c.last_error,
        c.failed_at,
        c.retry_at,
        c.refusal,
        c.refused_at,
    )
    if box_ids is not None:
        query = query.where(c.box_id.in_(box_ids))
    return {row["box_id"]: dict(row) for row in connection.execute(query).mappings()}


def _issuer(leaf: x509.Certificate) -> str:
    """The authority as operators know it: "Let's Encrypt (R11)" rather than its whole
    distinguished name."""
    organisation = leaf.issuer.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    common = leaf.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
    parts = [str(a.value) for a in organisation[:1]] + [str(a.value) for a in common[:1]]
    if len(parts) == 2:
        return f"{parts[0]} ({parts[1]})"
    return parts[0] if parts else leaf.issuer.rfc4514_string()


def _row(connection: Connection, box_id: str) -> dict[str, Any]:
    return dict(
        connection.execute(select(box_certificates).where(box_certificates.c.box_id == box_id))
        .mappings()
        .one()
    )
