"""The box's own key and certificate: made once, kept, replaced only when they cannot serve."""

from __future__ import annotations

import stat

import pytest

from core import box_certificate
from provisioning.tls import make_authority, make_server_certificate, write_certificate
from tests.support.authority_chain import chain_for


def test_a_first_start_makes_a_private_key_and_a_self_made_certificate(tmp_path):
    facts = box_certificate.ensure_certificate(tmp_path, ["batiment-a.local"])

    key_file = box_certificate.key_path(tmp_path)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert facts.self_made
    assert facts.names == ("batiment-a.local",)
    assert box_certificate.current_facts(tmp_path) == facts


def test_the_key_and_certificate_are_kept_across_starts(tmp_path):
    first = box_certificate.ensure_certificate(tmp_path, ["batiment-a.local"])
    again = box_certificate.ensure_certificate(tmp_path, ["batiment-a.local"])

    assert again.fingerprint == first.fingerprint


def test_a_new_name_gets_a_new_self_made_certificate_with_the_same_key(tmp_path):
    first = box_certificate.ensure_certificate(tmp_path, ["batiment-a.local"])
    key = box_certificate.ensure_key(tmp_path)
    renamed = box_certificate.ensure_certificate(tmp_path, ["batiment-b.local"])

    assert renamed.fingerprint != first.fingerprint
    assert renamed.names == ("batiment-b.local",)
    assert box_certificate.ensure_key(tmp_path).public_key() == key.public_key()


def test_a_chain_for_the_box_key_is_installed_and_kept_over_self_made(tmp_path):
    box_certificate.ensure_certificate(tmp_path, ["batiment-a.local"])
    chain = chain_for(tmp_path, "batiment-a.residence.example")[0]

    facts = box_certificate.install_chain(tmp_path, chain)
    kept = box_certificate.ensure_certificate(tmp_path, ["batiment-a.local"])

    assert not facts.self_made
    assert facts.names == ("batiment-a.residence.example",)
    assert kept == facts


def test_a_chain_for_another_key_is_refused_and_the_old_one_stays(tmp_path):
    before = box_certificate.ensure_certificate(tmp_path, ["batiment-a.local"])
    authority = make_authority("Test authority")
    _, other = make_server_certificate(authority, ["batiment-a.residence.example"])
    path = tmp_path / "other.pem"
    write_certificate(path, other)

    with pytest.raises(box_certificate.CertificateRefused, match="another key"):
        box_certificate.install_chain(tmp_path, path.read_bytes())
    with pytest.raises(box_certificate.CertificateRefused, match="not readable"):
        box_certificate.install_chain(tmp_path, b"-----BEGIN CERTIFICATE-----\nnope\n")

    assert box_certificate.current_facts(tmp_path) == before


def test_reloading_without_a_front_server_says_so(tmp_path):
    assert box_certificate.reload_front_server(tmp_path) is False


def test_the_public_address_is_the_trusted_certificate_s_name(tmp_path):
    box_certificate.ensure_certificate(tmp_path, ["batiment-a.local"])
    assert box_certificate.public_address(tmp_path, 443) is None

    box_certificate.install_chain(tmp_path, chain_for(tmp_path, "batiment-a.residence.example")[0])

    assert box_certificate.public_address(tmp_path, 443) == "https://batiment-a.residence.example/"
    assert (
        box_certificate.public_address(tmp_path, 8443)
        == "https://batiment-a.residence.example:8443/"
    )
