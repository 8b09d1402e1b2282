"""The box's staff home page says how tenants reach the portal, and what its certificate
means for them, in plain words."""

from __future__ import annotations

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from core import box_certificate
from provisioning.tls import make_authority


def _install_authority_chain(data_dir, name: str) -> None:
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
        .not_valid_after(datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(authority.key, hashes.SHA256())
    )
    box_certificate.install_chain(data_dir, certificate.public_bytes(serialization.Encoding.PEM))


def test_with_its_own_certificate_the_box_says_browsers_will_warn(browser, data_dir, small_estate):
    box_certificate.ensure_certificate(data_dir, ["batiment-a.local"])
    browser.sign_in_staff("agent")

    page = browser.get("/staff/").get_data(as_text=True)

    assert "The portal signs its own certificate" in page
    assert "ask the hub&#39;s operator" in page or "ask the hub's operator" in page
    assert "http://localhost/" in page


def test_with_a_trusted_certificate_the_box_gives_its_public_name(browser, data_dir, small_estate):
    _install_authority_chain(data_dir, "batiment-a.tilleuls.example")
    browser.sign_in_staff("agent")

    page = browser.get("/staff/").get_data(as_text=True)

    assert "https://batiment-a.tilleuls.example/" in page
    assert "until 1 March 2027" in page
    assert "signs its own certificate" not in page


def test_who_prints_no_letters_is_not_told(browser, data_dir, small_estate):
    browser.sign_in_staff("mairie")

    assert "How tenants reach the portal" not in browser.get("/staff/").get_data(as_text=True)
