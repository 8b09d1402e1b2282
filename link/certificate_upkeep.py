"""The box's side of its certificate: install what the hub sent, ask for what is needed.

Run by the box agent, which owns the box's TLS files, at start, every few hours and after
each batch from the hub. With a public name from the hub, the box asks for a certificate
— sending a signing request, its key staying here — when it has none from an authority
for that name, or one with fewer than ``certificate_renew_days`` left. A chain the hub
sent is installed (``core.box_certificate.install_chain``) and the front server told to
take it; one the box refuses is reported to the hub, which shows it to operators.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine

from core import box_certificate
from core.domain import own_certificate
from core.messages import outgoing
from core.messages.certificates import CertificateRefused, CertificateRequested
from core.storage.engine import writing

log = logging.getLogger(__name__)

# A request the hub has not answered is sent again after this long: the hub keeps trying
# by itself, so this only covers a hub that lost it (a database restored from a backup).
ASK_AGAIN_AFTER = timedelta(days=1)


def run(
    engine: Engine, box_id: str, data_dir: str | Path, renew_before: timedelta, now: datetime
) -> None:
    """Install a chain that came, then ask for a certificate if one is needed."""
    with writing(engine) as connection:
        own = own_certificate.get(connection, box_id)
        if own is None:
            return
        if own.chain is not None:
            _install(connection, box_id, data_dir, own.name, own.chain)
        if _needs_one(data_dir, own.name, renew_before, now) and (
            own.requested_at is None or own.requested_at <= now - ASK_AGAIN_AFTER
        ):
            request = box_certificate.signing_request(data_dir, own.name).decode("ascii")
            outgoing.to_hub(
                connection, CertificateRequested(name=own.name, request=request), box_id
            )
            own_certificate.asked(connection, box_id, now)
            log.info("asked the hub for a certificate for %s", own.name)


def _install(connection: Connection, box_id: str, data_dir: str | Path, name: str, chain: str):
    try:
        facts = box_certificate.install_chain(data_dir, chain.encode("ascii"))
    except (box_certificate.CertificateRefused, UnicodeEncodeError) as error:
        log.warning("certificate for %s refused: %s", name, error)
        outgoing.to_hub(connection, CertificateRefused(name=name, reason=str(error)[:200]), box_id)
    else:
        reloaded = box_certificate.reload_front_server(data_dir)
        log.info(
            "certificate for %s installed, valid until %s%s",
            name,
            facts.not_after.isoformat(),
            "; the front server took it" if reloaded else "",
        )
    own_certificate.installed(connection, box_id)


def _needs_one(data_dir: str | Path, name: str, renew_before: timedelta, now: datetime) -> bool:
    facts = box_certificate.current_facts(data_dir)
    if facts is None or facts.self_made or name not in facts.names:
        return True
    return facts.not_after.replace(tzinfo=None) - now < renew_before
