"""A box's public name and its certificate, between the hub and that box alone.

``certificate.named`` (hub → box): the name the hub gave the box. ``certificate.requested``
(box → hub): a signing request made with the box's key, which never leaves the box.
``certificate.issued`` (hub → box): the chain an authority signed for that request.
``certificate.refused`` (box → hub): the box would not install a chain, and why.
"""

from __future__ import annotations

from core.messages.fields import Text
from core.messages.outgoing import Body

# The longest DNS name.
MAX_NAME = 253
# A signing request for one name with an RSA key of 4096 bits is under 2 KiB in PEM.
MAX_REQUEST = 8000
# A leaf and two intermediates of RSA 4096 bits are under 8 KiB in PEM.
MAX_CHAIN = 32000


class CertificateNamed(Body):
    KIND = "certificate.named"
    name: Text(MAX_NAME)


class CertificateRequested(Body):
    KIND = "certificate.requested"
    name: Text(MAX_NAME)
    request: Text(MAX_REQUEST)


class CertificateIssued(Body):
    KIND = "certificate.issued"
    name: Text(MAX_NAME)
    chain: Text(MAX_CHAIN)


class CertificateRefused(Body):
    KIND = "certificate.refused"
    name: Text(MAX_NAME)
    reason: Text(200)
