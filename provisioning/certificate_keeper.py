"""The hub's certificate process (``residacoeur hub certificates``): names the boxes and
obtains their certificates, one round every ``certificate_check_seconds``.

Each round gives every enrolled box a public name under ``box_domain`` if it has none,
then asks the ACME authority for what is due: a box's new signing request, or a
certificate with fewer than ``certificate_renew_days`` left (renewed with the box's last
request, so its key stays on the box). A chain obtained is recorded and queued for that
box in the link's outbox, which delivers it once, whenever the box is online. A failure
is recorded and tried again after ``certificate_retry_seconds``, doubled each time.
Only one such process runs per hub.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from core.domain import certificates, public_names
from core.domain.clock import utcnow
from core.storage.engine import writing
from provisioning import dns_providers
from provisioning.acme_issuer import AcmeIssuer, IssuanceFailed

log = logging.getLogger(__name__)


def issuer_from_settings(config: dict[str, Any]) -> AcmeIssuer:
    """Return the ACME client the hub's settings describe."""
    return AcmeIssuer(
        config["acme_directory_url"],
        config["data_dir"],
        dns_providers.from_settings(config),
        ca_bundle=config["acme_ca_bundle"],
        dns_wait_s=float(config["dns_wait_seconds"]),
    )


class CertificateKeeper:
    """Names boxes and keeps their certificates until stopped."""

    def __init__(self, engine: Engine, config: dict[str, Any]) -> None:
        self.engine = engine
        self.config = config
        self._issuer: AcmeIssuer | None = None

    def run(self, stop: threading.Event) -> None:
        """Do a round every ``certificate_check_seconds`` until ``stop`` is set."""
        log.info("keeping certificates of the boxes under %s", self.config["box_domain"])
        while not stop.is_set():
            try:
                self.round()
            except SQLAlchemyError:
                log.exception("database error; the round is done again later")
            stop.wait(float(self.config["certificate_check_seconds"]))

    def round(self) -> int:
        """Name the boxes, obtain what is due; return how many certificates were obtained."""
        with writing(self.engine) as connection:
            for box_id in public_names.assign_all(connection, self.config["box_domain"]):
                log.info("box %s named %s", box_id, public_names.name_of(connection, box_id))
        renew_before = timedelta(days=int(self.config["certificate_renew_days"]))
        with self.engine.connect() as connection:
            work = certificates.due(connection, utcnow(), renew_before)
        obtained = 0
        for item in work:
            try:
                chain = self._issuer_ready().obtain(item.request)
            except (IssuanceFailed, dns_providers.DnsProviderError) as error:
                self._failed(item, str(error))
                continue
            with writing(self.engine) as connection:
                certificates.record_issued(connection, item, chain, utcnow())
            obtained += 1
            log.info(
                "certificate %s for %s, sent to box %s",
                "renewed" if item.renewal else "obtained",
                item.name,
                item.box_id,
            )
        return obtained

    def _issuer_ready(self) -> AcmeIssuer:
        if self._issuer is None:
            self._issuer = issuer_from_settings(self.config)
        return self._issuer

    def _failed(self, item: certificates.Due, reason: str) -> None:
        first_wait = timedelta(seconds=int(self.config["certificate_retry_seconds"]))
        with writing(self.engine) as connection:
            retry_at = certificates.record_failure(
                connection, item.box_id, reason, utcnow(), first_wait
            )
        log.warning(
            "no certificate for %s (box %s): %s; tried again at %s",
            item.name,
            item.box_id,
            reason,
            retry_at.isoformat(timespec="seconds"),
        )
