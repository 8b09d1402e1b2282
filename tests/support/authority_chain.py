"""A chain as an authority returns it for the box's signing request: the box's own public
key signed by a test authority, then the authority itself."""

from __future__ import annotations

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from core import box_certificate
from provisioning.tls import make_authority


def chain_for(
    data_dir: Path, name: str, not_after: datetime.datetime | None = None
) -> tuple[bytes, bytes]:
    """Return the chain for ``name`` and the authority's certificate alone, as PEM."""
    authority = make_authority("Test authority")
    request = x509.load_pem_x509_csr(box_certificate.signing_request(data_dir, name))
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(authority.certificate.subject)
        .public_key(request.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(not_after or now + datetime.timedelta(days=90))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(authority.key, hashes.SHA256())
    )
    root = authority.certificate.public_bytes(serialization.Encoding.PEM)
    return certificate.public_bytes(serialization.Encoding.PEM) + root, root
