"""What the hub checks in a box's signing request before asking an authority to sign it.

A box is not trusted (a copied SD card speaks as the box): its request must be signed by
the key it carries, for exactly the name the hub gave that box and no other — no second
name, no wildcard, no address — with a key of a kind authorities sign and that is strong
enough.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

MIN_RSA_BITS = 2048


class RequestRefused(ValueError):
    """A signing request the hub will not have signed, with the reason in plain words."""


def check(pem: str, name: str) -> x509.CertificateSigningRequest:
    """Return the request when it may be signed for ``name``; raise RequestRefused if not."""
    try:
        request = x509.load_pem_x509_csr(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise RequestRefused("the signing request is not readable PEM") from error
    if not request.is_signature_valid:
        raise RequestRefused("the signing request's signature is not valid")
    _check_key(request)
    _check_names(request, name)
    return request


def _check_key(request: x509.CertificateSigningRequest) -> None:
    key = request.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        if not isinstance(key.curve, ec.SECP256R1):
            raise RequestRefused(f"the key's curve {key.curve.name} is not P-256")
    elif isinstance(key, rsa.RSAPublicKey):
        if key.key_size < MIN_RSA_BITS:
            raise RequestRefused(f"an RSA key of {key.key_size} bits is too weak")
    else:
        raise RequestRefused("the key is neither EC P-256 nor RSA")


def _check_names(request: x509.CertificateSigningRequest, name: str) -> None:
    try:
        alternative = request.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        raise RequestRefused("the signing request names no DNS name") from None
    except ValueError as error:
        raise RequestRefused("the signing request's extensions are not readable") from error
    names = list(alternative.value)
    dns_names = alternative.value.get_values_for_type(x509.DNSName)
    if len(names) != 1 or dns_names != [name]:
        shown = ", ".join(str(n.value) for n in names)[:120]
        raise RequestRefused(f"the signing request is for {shown}, not exactly {name}")
    common = [a.value for a in request.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    if any(value != name for value in common):
        raise RequestRefused(f"the signing request's common name is not {name}")
