"""The box's TLS key and certificate, as its front server uses them.

The key is made on the box and never leaves it: a certificate from a public authority is
asked for with a signing request (the hub obtains it by ACME and sends it back), and
until one arrives the box signs its own, which browsers warn about. Both files sit in
the data folder: ``tls/key.pem`` (owner only) and ``tls/certificate.pem`` (the chain,
the box's own certificate first).
"""

from __future__ import annotations

import datetime
import hashlib
import os
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from core.private_files import private_file, write_private_key

TLS_FOLDER = "tls"
KEY_FILE = "key.pem"
CHAIN_FILE = "certificate.pem"
# nginx writes its master's process number here (the front server's configuration says so).
FRONT_PID_FILE = Path("front") / "nginx.pid"
SELF_MADE_DAYS = 825
# A box whose clock runs a little behind must still accept a certificate made just now.
CLOCK_SKEW = datetime.timedelta(hours=1)


class CertificateRefused(ValueError):
    """A certificate chain the box will not install, with the reason in plain words."""


@dataclass(frozen=True)
class CertificateFacts:
    """What an operator needs to know of the certificate in use."""

    names: tuple[str, ...]
    not_after: datetime.datetime
    issuer: str
    self_made: bool
    fingerprint: str


def key_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / TLS_FOLDER / KEY_FILE


def chain_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / TLS_FOLDER / CHAIN_FILE


def ensure_key(data_dir: str | Path) -> ec.EllipticCurvePrivateKey:
    """Return the box's key, making it on first use (readable by its owner only)."""
    path = key_path(data_dir)
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if isinstance(key, ec.EllipticCurvePrivateKey):
            return key
    key = ec.generate_private_key(ec.SECP256R1())
    write_private_key(path, key)
    return key


def ensure_certificate(data_dir: str | Path, names: Sequence[str]) -> CertificateFacts:
    """Return the certificate in use, signing one of the box's own when none can serve.

    One that does not match the key, has expired, or is self-made for other names is
    replaced; one from an authority is kept until a newer one is installed.
    """
    key = ensure_key(data_dir)
    current = _read_chain(chain_path(data_dir))
    if current and _serves(current, key, names):
        return facts_of(current)
    certificate = _self_made(key, names)
    _write_chain(data_dir, [certificate])
    return facts_of([certificate])


def signing_request(data_dir: str | Path, name: str) -> bytes:
    """Return a PEM signing request for ``name`` made with the box's key."""
    key = ensure_key(data_dir)
    request = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return request.public_bytes(serialization.Encoding.PEM)


def install_chain(data_dir: str | Path, pem: bytes) -> CertificateFacts:
    """Check a chain from an authority against the box's key and put it in use."""
    try:
        chain = x509.load_pem_x509_certificates(pem)
    except ValueError as error:
        raise CertificateRefused("the certificate is not readable PEM") from error
    key = ensure_key(data_dir)
    if not _same_key(chain[0], key):
        raise CertificateRefused("the certificate is for another key than the box's")
    if chain[0].not_valid_after_utc <= datetime.datetime.now(datetime.UTC):
        raise CertificateRefused("the certificate has expired")
    _write_chain(data_dir, chain)
    return facts_of(chain)


def current_facts(data_dir: str | Path) -> CertificateFacts | None:
    """Return the facts of the certificate in use, or None when there is none yet."""
    chain = _read_chain(chain_path(data_dir))
    return facts_of(chain) if chain else None


def facts_of(chain: Sequence[x509.Certificate]) -> CertificateFacts:
    leaf = chain[0]
    return CertificateFacts(
        names=_names(leaf),
        not_after=leaf.not_valid_after_utc,
        issuer=leaf.issuer.rfc4514_string(),
        self_made=leaf.issuer == leaf.subject,
        fingerprint=hashlib.sha256(leaf.public_bytes(serialization.Encoding.DER)).hexdigest(),
    )


def public_address(data_dir: str | Path, https_port: int) -> str | None:
    """Return the portal's address by the name an authority's certificate is for, or None
    while the box has only its self-made one (browsers would warn at that address)."""
    facts = current_facts(data_dir)
    if facts is None or facts.self_made or not facts.names:
        return None
    port = "" if https_port == 443 else f":{https_port}"
    return f"https://{facts.names[0]}{port}/"


def reload_front_server(data_dir: str | Path) -> bool:
    """Have the front server take the new certificate, keeping open connections.

    nginx re-reads its files on SIGHUP: new workers take new connections while the old
    ones finish theirs. Return False when no front server runs (a box served by gunicorn
    alone, in development).
    """
    try:
        pid = int((Path(data_dir) / FRONT_PID_FILE).read_text(encoding="ascii").strip())
        os.kill(pid, signal.SIGHUP)
    except (OSError, ValueError):
        return False
    return True


def _serves(
    chain: Sequence[x509.Certificate], key: ec.EllipticCurvePrivateKey, names: Sequence[str]
) -> bool:
    leaf = chain[0]
    if not _same_key(leaf, key):
        return False
    if leaf.not_valid_after_utc <= datetime.datetime.now(datetime.UTC):
        return False
    return leaf.issuer != leaf.subject or set(_names(leaf)) == set(names)


def _same_key(certificate: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> bool:
    return certificate.public_key() == key.public_key()


def _names(certificate: x509.Certificate) -> tuple[str, ...]:
    try:
        alternative = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return ()
    return tuple(alternative.value.get_values_for_type(x509.DNSName))


def _self_made(key: ec.EllipticCurvePrivateKey, names: Sequence[str]) -> x509.Certificate:
    if not names:
        raise ValueError("a certificate needs at least one name")
    now = datetime.datetime.now(datetime.UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + datetime.timedelta(days=SELF_MADE_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(name) for name in names]), critical=False
        )
        .sign(key, hashes.SHA256())
    )


def _read_chain(path: Path) -> list[x509.Certificate]:
    try:
        return x509.load_pem_x509_certificates(path.read_bytes())
    except (OSError, ValueError):
        return []


def _write_chain(data_dir: str | Path, chain: Sequence[x509.Certificate]) -> None:
    pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain)
    with private_file(chain_path(data_dir), "wb") as handle:
        handle.write(pem)
