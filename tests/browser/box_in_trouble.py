"""A box in trouble at the demo's hub, for the pages that show a link's trouble.

It is enrolled for the tests only and never connects: nothing is sent to it, and the
demo's own boxes go on as before. What it "sent" is written straight into the hub's
database: messages set aside, a conflict under a number already applied, and a
certificate the hub failed to renew.
"""

from __future__ import annotations

import json
from datetime import timedelta

from appliance.demo import layout
from core.domain import fleet, side
from core.domain.clock import utcnow
from core.storage.engine import make_engine, writing
from core.storage.schema import box_certificates
from link import received, topics
from link.inbox import keep_aside
from tests.browser.demo_box import DemoEstate

BOX_ID = "box-essai"
UP = topics.up(BOX_ID)


def _report(seq: int, description: str) -> bytes:
    message = {
        "v": 1,
        "id": f"{seq:032x}",
        "box": BOX_ID,
        "seq": seq,
        "kind": "report.filed",
        "at": "2026-12-01T10:00:00",
        "body": {"report": {"number": seq, "description": description}},
    }
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()


def put_in_trouble(demo: DemoEstate) -> str:
    """Enrol the box at the demo's hub, once, with its trouble; return its page's path."""
    engine = make_engine(layout.plan(demo.data_dir, 0).hub.database_url)
    try:
        with writing(engine) as connection:
            if not side.is_peer(connection, BOX_ID):
                fleet.enrol(connection, BOX_ID, "Boîtier d’essai", [])
                # Its disk nearly full too, so that the fleet pages mark it.
                fleet.record(connection, BOX_ID, {"disk_free_bytes": 120_000_000})
                for reason, payload in (
                    ("report.filed #3: unknown dwelling", _report(3, "Ascenseur <b>en panne</b>")),
                    ("not JSON", b"\x00\x1b[2J\xff" + "مصعد معطل \u202e".encode()),
                    ("report.filed #4: description too long", _report(4, "x" * 6000)),
                ):
                    keep_aside(connection, UP, reason, payload, BOX_ID)
                applied = _report(1, "Fuite d’eau au 3e étage")
                row = {"peer_id": BOX_ID, "seq": 1, "kept_aside": False}
                received.remember(
                    connection, [{**row, "fingerprint": received.fingerprint_of(applied)}]
                )
                second = _report(1, "Porte du hall cassée")
                fingerprint = received.fingerprint_of(second)
                received.keep_conflict(connection, BOX_ID, 1, fingerprint, UP, second)
                # Its certificate could not be renewed, and the box refused the last one.
                now = utcnow()
                connection.execute(
                    box_certificates.insert().values(
                        box_id=BOX_ID,
                        name="boitier-d-essai.micocouliers.bailleur.example",
                        issuer="Let's Encrypt (R11)",
                        not_after=now + timedelta(days=12),
                        attempts=3,
                        last_error="ConnectionError: acme-v02.api.letsencrypt.org unreachable",
                        failed_at=now,
                        retry_at=now + timedelta(minutes=20),
                        refusal="the certificate is for another key than the box's",
                        refused_at=now,
                    )
                )
    finally:
        engine.dispose()
    return f"/staff/fleet/{BOX_ID}"
