"""A local certificate authority for the hub broker's TLS listener.

Boxes trust this authority alone, shipped to them at enrolment, rather than the public
ones: the hub may sit on a private address with no public name, and no outside authority
can then issue a certificate that boxes would accept as the hub's.
"""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from core.private_files import write_private_key

AUTHORITY_NAME = "Résidacœur hub authority"
AUTHORITY_DAYS = 3650
SERVER_DAYS = 825
# Boxes whose clocks run a little behind must still accept a certificate made just now.
CLOCK_SKEW = datetime.timedelta(hours=1)
_KEY_USAGES = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)


@dataclass(frozen=True)
class Authority:
    """The authority's private key and self-signed certificate."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


@dataclass(frozen=True)
class TlsFiles:
    """The PEM files a TLS listener needs: the authority, the server's certificate and key."""

    cafile: Path
    certfile: Path
    keyfile: Path


def make_authority(name: str = AUTHORITY_NAME, days: int = AUTHORITY_DAYS) -> Authority:
    """Make a new authority key and its self-signed certificate, allowed to sign servers."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    certificate = (
        _builder(subject, subject, key.public_key(), days)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    return Authority(key, certificate)


def make_server_certificate(
    authority: Authority, names: Sequence[str], days: int = SERVER_DAYS
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """Make a server key and a certificate for its host names and IP addresses."""
    if not names:
        raise ValueError("a server certificate needs at least one host name or address")
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    certificate = (
        _builder(subject, authority.certificate.subject, key.public_key(), days)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName([_alt_name(n) for n in names]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()),
            critical=False,
        )
        .sign(authority.key, hashes.SHA256())
    )
    return key, certificate


def write_broker_tls(folder: Path, names: Sequence[str]) -> TlsFiles:
    """Write a server certificate for ``names`` signed by the folder's authority, as PEM.

    The authority is made on first use and kept in the folder, its key readable by its
    owner only; later calls sign with it, so boxes that already trust it keep trusting the
    hub when its name or address changes.
    """
    folder.mkdir(parents=True, exist_ok=True)
    files = TlsFiles(folder / "ca.pem", folder / "server.pem", folder / "server-key.pem")
    authority_key = folder / "ca-key.pem"
    if authority_key.exists() and files.cafile.exists():
        authority = load_authority(files.cafile, authority_key)
    else:
        authority = make_authority()
        write_private_key(authority_key, authority.key)
        write_certificate(files.cafile, authority.certificate)
    key, certificate = make_server_certificate(authority, names)
    write_private_key(files.keyfile, key)
    write_certificate(files.certfile, certificate)
    return files


def load_authority(certfile: Path, keyfile: Path) -> Authority:
    """Read an authority written by ``write_broker_tls``."""
    key = serialization.load_pem_private_key(keyfile.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{keyfile} does not hold an elliptic-curve key")
    return Authority(key, x509.load_pem_x509_certificate(certfile.read_bytes()))


def write_certificate(path: Path, certificate: x509.Certificate) -> None:
    """Write a certificate as PEM."""
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: ec.EllipticCurvePublicKey, days: int
) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _key_usage(**granted: bool) -> x509.KeyUsage:
    # The server key signs its TLS handshakes; the authority also signs certificates.
    flags = dict.fromkeys(_KEY_USAGES, False) | {"digital_signature": True}
    return x509.KeyUsage(**(flags | granted))


def _alt_name(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)
