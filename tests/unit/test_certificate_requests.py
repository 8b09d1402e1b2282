"""The hub has an authority sign a box's request only for exactly the name it gave that
box, signed by the key it carries, a key of a kind and strength authorities sign."""

from __future__ import annotations

import ipaddress

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from core import box_certificate
from core.domain.certificate_requests import RequestRefused, check

NAME = "batiment-a.micocouliers.bailleur.example"


def _request(names, key=None, common=NAME) -> str:
    key = key or ec.generate_private_key(ec.SECP256R1())
    builder = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])
    )
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM).decode()


def test_the_box_s_own_request_for_its_name_passes(tmp_path):
    pem = box_certificate.signing_request(tmp_path, NAME).decode()
    assert check(pem, NAME).subject.rfc4514_string() == f"CN={NAME}"


def test_an_rsa_key_of_2048_bits_passes():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    check(_request([x509.DNSName(NAME)], key), NAME)


@pytest.mark.parametrize(
    ("names", "common", "reason"),
    [
        ([x509.DNSName("batiment-b.micocouliers.bailleur.example")], NAME, "not exactly"),
        ([x509.DNSName(NAME), x509.DNSName("autre.example")], NAME, "not exactly"),
        ([x509.DNSName("*.micocouliers.bailleur.example")], NAME, "not exactly"),
        ([x509.DNSName(NAME), x509.IPAddress(ipaddress.ip_address("192.0.2.1"))], NAME, "not"),
        ([], NAME, "no DNS name"),
        ([x509.DNSName(NAME)], "autre.example", "common name"),
    ],
)
def test_any_other_name_is_refused(names, common, reason):
    with pytest.raises(RequestRefused, match=reason):
        check(_request(names, common=common), NAME)


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (lambda: rsa.generate_private_key(public_exponent=65537, key_size=1024), "too weak"),
        (lambda: ec.generate_private_key(ec.SECP384R1()), "not P-256"),
    ],
)
def test_keys_authorities_would_not_sign_or_too_weak_are_refused(key, reason):
    with pytest.raises(RequestRefused, match=reason):
        check(_request([x509.DNSName(NAME)], key()), NAME)


def test_a_request_whose_signature_does_not_match_is_refused():
    pem = _request([x509.DNSName(NAME)])
    der = bytearray(x509.load_pem_x509_csr(pem.encode()).public_bytes(serialization.Encoding.DER))
    der[-5] ^= 0x01
    tampered = x509.load_der_x509_csr(bytes(der)).public_bytes(serialization.Encoding.PEM)
    with pytest.raises(RequestRefused, match="signature"):
        check(tampered.decode(), NAME)


@pytest.mark.parametrize("pem", ["", "not a request", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA"])
def test_what_is_not_a_request_is_refused(pem):
    with pytest.raises(RequestRefused, match="PEM"):
        check(pem, NAME)
