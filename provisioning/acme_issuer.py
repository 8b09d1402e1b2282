"""Obtaining a certificate for a box's signing request from an ACME authority, by DNS-01.

certbot's ``acme`` library speaks the protocol (RFC 8555); this module only chooses: one
account for the hub, its key made on first use and kept in the hub's data folder (owner
only); for each request, the DNS-01 challenge of its one name, answered with a TXT record
set through the hub's DNS provider and cleared afterwards, whatever happened.
"""

from __future__ import annotations

import datetime
import logging
import time
from pathlib import Path

import josepy as jose
from acme import challenges, client, errors, messages
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from core import __version__
from core.private_files import private_file
from provisioning.dns_providers import DnsProvider, DnsProviderError

log = logging.getLogger(__name__)

ACCOUNT_KEY = Path("acme") / "account-key.pem"
# How long the authority has to check the record and sign, once the challenge is answered.
ORDER_SECONDS = 180


class IssuanceFailed(RuntimeError):
    """The authority did not sign: why, in a line an operator can read."""


def account_key(data_dir: str | Path) -> ec.EllipticCurvePrivateKey:
    """Return the hub's ACME account key, made on first use."""
    path = Path(data_dir) / ACCOUNT_KEY
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if isinstance(key, ec.EllipticCurvePrivateKey):
            return key
    key = ec.generate_private_key(ec.SECP256R1())
    with private_file(path, "wb") as handle:
        handle.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    return key


class AcmeIssuer:
    """Asks one ACME authority, as the hub's account, to sign boxes' requests."""

    def __init__(
        self,
        directory_url: str,
        data_dir: str | Path,
        dns: DnsProvider,
        ca_bundle: str = "",
        dns_wait_s: float = 0.0,
    ) -> None:
        self.directory_url = directory_url
        self.key = jose.JWKEC(key=account_key(data_dir))
        self.dns = dns
        # requests takes a file of authorities where it takes True.
        self.verify: bool | str = ca_bundle or True
        self.dns_wait_s = dns_wait_s
        self._client: client.ClientV2 | None = None

    def obtain(self, request_pem: str) -> str:
        """Return the chain (PEM, the box's certificate first) signed for the request."""
        try:
            return self._obtain(request_pem)
        except IssuanceFailed:
            raise
        except (errors.Error, messages.Error, DnsProviderError, OSError, ValueError) as error:
            # The connection may be the cause: the next attempt starts afresh.
            self._client = None
            raise IssuanceFailed(_reason(error)) from error

    def _obtain(self, request_pem: str) -> str:
        acme = self._connected()
        order = acme.new_order(request_pem.encode("ascii"))
        # An authority may reuse a name's recent proof: nothing to answer for it then.
        pending = [a for a in order.authorizations if a.body.status == messages.STATUS_PENDING]
        set_records = []
        try:
            for authorization in pending:
                challenge = _dns_challenge(authorization)
                domain = authorization.body.identifier.value
                name = challenge.chall.validation_domain_name(domain)
                value = challenge.chall.validation(self.key)
                self.dns.set_txt(name, value)
                set_records.append((name, value))
            if set_records and self.dns_wait_s:
                time.sleep(self.dns_wait_s)
            for authorization in pending:
                challenge = _dns_challenge(authorization)
                acme.answer_challenge(challenge, challenge.chall.response(self.key))
            deadline = datetime.datetime.now() + datetime.timedelta(seconds=ORDER_SECONDS)
            finished = acme.poll_and_finalize(order, deadline)
        finally:
            for name, value in set_records:
                try:
                    self.dns.clear_txt(name, value)
                except Exception:
                    # A record left behind harms nothing; the certificate matters more.
                    log.warning("TXT record %s could not be cleared", name, exc_info=True)
        chain = finished.fullchain_pem
        x509.load_pem_x509_certificates(chain.encode("ascii"))
        return chain

    def _connected(self) -> client.ClientV2:
        if self._client is not None:
            return self._client
        network = client.ClientNetwork(
            self.key,
            alg=jose.ES256,
            user_agent=f"residacoeur/{__version__}",
            verify_ssl=self.verify,  # type: ignore[arg-type]
        )
        directory = client.ClientV2.get_directory(self.directory_url, network)
        acme = client.ClientV2(directory, network)
        registration = messages.NewRegistration.from_data(terms_of_service_agreed=True)
        try:
            acme.new_account(registration)
        except errors.ConflictError as existing:
            # The account exists for this key: carry on as it.
            acme.query_registration(
                messages.RegistrationResource(uri=existing.location, body=registration)
            )
        self._client = acme
        return acme


def _dns_challenge(authorization: messages.AuthorizationResource) -> messages.ChallengeBody:
    for challenge in authorization.body.challenges:
        if isinstance(challenge.chall, challenges.DNS01):
            return challenge
    raise IssuanceFailed(
        f"the authority offers no DNS-01 challenge for {authorization.body.identifier.value}"
    )


def _reason(error: Exception) -> str:
    if isinstance(error, errors.ValidationError):
        details = [
            f"{challenge.chall.typ}: {challenge.error}"
            for authorization in error.failed_authzrs
            for challenge in authorization.body.challenges
            if challenge.error is not None
        ]
        return "validation failed: " + "; ".join(details)
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
