"""Reports written into a hub's database the way they arrive from a box: no profile
behind them, the names of people from the box beside what they wrote."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image

from core.domain import photos
from core.domain.clock import new_id, utcnow
from core.storage.schema import report_events, report_messages, report_photos, reports


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "teal").save(out, "JPEG")
    return out.getvalue()


def arrived(
    connection,
    estate,
    number,
    building,
    received_ago,
    moves=(),
    photo=False,
    description="Arrivé du boîtier",
    household=None,
) -> str:
    """Write a report from dwelling A-01 or B-01 as the hub's ingest does.

    ``moves`` are (status, hours after the report), made by an agent at the hub;
    ``household``: the name, locale and contact a box sent with it (none by default, as
    from an older box).
    """
    received = utcnow() - received_ago
    report_id = new_id()
    connection.execute(
        reports.insert().values(
            id=report_id,
            number=number,
            building_id=estate.building_a if building == "A" else estate.building_b,
            dwelling_id=estate.dwellings[f"{building}-01"],
            category="lift" if building == "A" else "damage",
            location="hall",
            description=description,
            status=moves[-1][0] if moves else "received",
            created_at=received,
            updated_at=received,
            **{f"household_{name}": value for name, value in (household or {}).items()},
        )
    )
    for status, hours in [("received", 0), *moves]:
        connection.execute(
            report_events.insert().values(
                id=new_id(),
                report_id=report_id,
                status=status,
                actor_name=None if status == "received" else "Agent Dupont",
                created_at=received + timedelta(hours=hours),
            )
        )
    connection.execute(
        report_messages.insert().values(
            id=new_id(),
            report_id=report_id,
            author_kind="tenant",
            author_name="Odette",
            body="Merci de passer vite.",
            created_at=received,
        )
    )
    if photo:
        photo_id = photos.store(connection, _jpeg(), 32, 24)
        connection.execute(
            report_photos.insert().values(report_id=report_id, photo_id=photo_id, position=0)
        )
    return report_id
