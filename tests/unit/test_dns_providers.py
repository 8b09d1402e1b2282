"""The hub's DNS provider comes from its settings, with a clear message when they are
incomplete, and its credentials only from a file outside the repository."""

from __future__ import annotations

import json

import pytest

from provisioning.dns_providers import ChallTestSrv, DnsProviderError, Lexicon, from_settings


def _settings(provider: str, path: str) -> dict:
    return {"dns_provider": provider, "dns_credentials_file": path}


def test_challtestsrv_reads_its_address_from_the_file(tmp_path):
    options = tmp_path / "dns.json"
    options.write_text(json.dumps({"url": "http://127.0.0.1:8055/"}))
    provider = from_settings(_settings("challtestsrv", str(options)))
    assert isinstance(provider, ChallTestSrv) and provider.url == "http://127.0.0.1:8055"


def test_another_name_is_a_dns_lexicon_provider_with_its_zone_apart(tmp_path):
    options = tmp_path / "dns.json"
    options.write_text(json.dumps({"auth_application_key": "k", "domain": "bailleur.example"}))
    provider = from_settings(_settings("ovh", str(options)))
    assert isinstance(provider, Lexicon)
    assert provider.zone == "bailleur.example"
    assert provider.options == {"auth_application_key": "k"}


@pytest.mark.parametrize(
    ("provider", "content", "reason"),
    [
        ("", "{}", "dns_provider is not set"),
        ("ovh", None, "dns_credentials_file is not set"),
        ("ovh", "not json", "cannot be read as JSON"),
        ("ovh", "[1]", "JSON object"),
        ("challtestsrv", "{}", "url"),
    ],
)
def test_incomplete_settings_are_explained(tmp_path, provider, content, reason):
    path = ""
    if content is not None:
        path = str(tmp_path / "dns.json")
        (tmp_path / "dns.json").write_text(content)
    with pytest.raises(DnsProviderError, match=reason):
        from_settings(_settings(provider, path))
