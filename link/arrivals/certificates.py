"""A box's name and certificate arriving: requests and refusals at the hub, the name and
the chain on the box (docs/PROTOCOL.md, "Certificates")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from core.domain import certificates, own_certificate, side
from core.domain.certificate_requests import RequestRefused
from core.domain.clock import utcnow
from core.messages.certificates import (
    CertificateIssued,
    CertificateNamed,
    CertificateRefused,
    CertificateRequested,
)
from link.envelope import Refused


def requested(connection: Connection, box_id: str, body: CertificateRequested) -> None:
    try:
        certificates.take_request(connection, box_id, body.name, body.request, utcnow())
    except RequestRefused as error:
        raise Refused(str(error)) from error


def refused(connection: Connection, box_id: str, body: CertificateRefused) -> None:
    certificates.record_refusal(connection, box_id, body.reason, utcnow())


def _own_box_id(connection: Connection) -> str:
    me = side.whoami(connection)
    if me is None or me["kind"] != "box":
        raise Refused("only a linked box keeps a public name")
    return me["box_id"]


def named(connection: Connection, body: CertificateNamed) -> None:
    own_certificate.take_name(connection, _own_box_id(connection), body.name)


def issued(connection: Connection, body: CertificateIssued) -> None:
    if not own_certificate.take_chain(connection, _own_box_id(connection), body.chain):
        raise Refused("a certificate came for a box the hub never named")


AT_HUB: dict[type, Callable[..., Any]] = {
    CertificateRequested: requested,
    CertificateRefused: refused,
}
AT_BOX: dict[type, Callable[..., Any]] = {CertificateNamed: named, CertificateIssued: issued}
