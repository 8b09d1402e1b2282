"""Build the demo estate once, and keep its logins in the data folder.

Codes and passwords are made at random on first start (never written in the
repository) and saved to ``demo-logins.json``: codes cannot be read back from the
database, so that file is the only place they exist.
"""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, update

from appliance.demo import content
from appliance.domain import access_codes, estate, news, people, reports, works
from appliance.domain.clock import utcnow
from appliance.storage.schema import report_events, residences
from appliance.storage.schema import reports as report_table


def ensure_demo_estate(connection: Connection, pepper: str, logins_file: Path) -> dict[str, Any]:
    """Create the estate if the box is empty; return the logins (from file when it exists)."""
    exists = connection.execute(select(residences.c.id)).first() is not None
    if exists and logins_file.exists():
        return json.loads(logins_file.read_text(encoding="utf-8"))
    if exists:
        raise RuntimeError(
            f"{logins_file} is missing for an existing estate; start with an empty data folder"
        )
    return build(connection, pepper)


def _pin() -> str:
    while True:
        pin = "".join(secrets.choice("0123456789") for _ in range(4))
        if len(set(pin)) > 1:
            return pin


def build(connection: Connection, pepper: str, today: date | None = None) -> dict[str, Any]:
    """Create residences, buildings, dwellings, people, news, works and reports."""
    today = today or utcnow().date()
    residence_id = estate.add_residence(
        connection,
        content.RESIDENCE["name"],
        content.RESIDENCE["district"],
        content.RESIDENCE["city"],
    )
    building_ids = {
        key: estate.add_building(connection, residence_id, building["name"], building["address"])
        for key, building in content.BUILDINGS.items()
    }
    dwellings: dict[str, str] = {}
    for key, building_id in building_ids.items():
        for staircase in content.BUILDINGS[key]["staircases"]:
            for floor in range(content.BUILDINGS[key]["floors"]):
                for door in range(1, content.BUILDINGS[key]["doors_per_floor"] + 1):
                    reference = f"{key}{staircase}-{floor}{door:02d}"
                    dwellings[reference] = estate.register_dwelling(
                        connection, building_id, reference, staircase, floor
                    )

    tenants = []
    profile_ids: dict[str, str] = {}
    for reference, dwelling_id in dwellings.items():
        code = access_codes.issue(connection, pepper, dwelling_id)
        entry: dict[str, Any] = {
            "dwelling": reference,
            "building": content.BUILDINGS[reference[0]]["name"],
            "code": access_codes.printable(code),
            "profiles": [],
        }
        for name, locale in content.HOUSEHOLDS.get(reference, []):
            pin = _pin()
            code_row = access_codes.find(connection, pepper, code)
            profile_id = people.create_profile(
                connection, code_row["id"], dwelling_id, name, locale, pin, pin
            )
            profile_ids.setdefault(reference, profile_id)
            entry["profiles"].append({"name": name, "pin": pin, "locale": locale})
        tenants.append(entry)

    publisher_ids = {
        key: news.add_publisher(connection, name, kind)
        for key, (name, kind) in content.PUBLISHERS.items()
    }
    staff_logins = []
    for username, name, role, publisher_key, building_keys in content.STAFF:
        password = secrets.token_urlsafe(9)
        people.create_staff(
            connection,
            username,
            name,
            password,
            role,
            [building_ids[k] for k in building_keys],
            publisher_id=publisher_ids.get(publisher_key) if publisher_key else None,
        )
        staff_logins.append(
            {"username": username, "password": password, "role": role, "name": name}
        )

    scope_refs = {
        "building:A": ("building", building_ids["A"]),
        "building:B": ("building", building_ids["B"]),
        "residence": ("residence", residence_id),
        "district": ("district", content.RESIDENCE["district"]),
        "city": ("city", content.RESIDENCE["city"]),
    }
    now = utcnow()
    for publisher_key, scope, days_ago, lasts_days, title, body in content.NEWS:
        scope_kind, scope_ref = scope_refs[scope]
        published = now - timedelta(days=days_ago, hours=days_ago % 5)
        news.publish(
            connection,
            publisher_ids[publisher_key],
            title,
            body,
            scope_kind,
            scope_ref,
            expires_at=published + timedelta(days=lasts_days) if lasts_days else None,
            published_at=published,
        )
    for building_key, title, location, starts_in, lasts, action in content.WORKS:
        works.announce(
            connection,
            building_ids[building_key],
            title,
            location,
            today + timedelta(days=starts_in),
            today + timedelta(days=starts_in + lasts),
            action,
        )

    agents = {
        row["username"]: people.get_staff(
            connection, people.authenticate_staff(connection, row["username"], row["password"])
        )
        for row in staff_logins
        if row["role"] == "landlord_agent"
    }
    agent = next(iter(agents.values()))
    for (reference, category, location, description, moves), age in zip(
        content.REPORTS, content.REPORT_AGES_DAYS, strict=True
    ):
        profile = people.get_profile(connection, profile_ids[reference])
        report_id = reports.file(connection, profile, category, location, description)
        _backdate(connection, report_id, now - timedelta(days=age, hours=age % 7))
        for status, message, in_days, duplicate_of in moves:
            reports.move(
                connection,
                agent,
                report_id,
                status,
                message,
                scheduled_for=today + timedelta(days=in_days) if in_days is not None else None,
                duplicate_of_number=duplicate_of,
                today=today,
            )
    for reference, report_number in content.ME_TOO:
        profile = people.get_profile(connection, profile_ids[reference])
        report_id = connection.execute(
            select(report_table.c.id).where(report_table.c.number == report_number)
        ).scalar_one()
        reports.me_too(connection, profile, report_id)

    return {"tenants": tenants, "staff": staff_logins}


def _backdate(connection: Connection, report_id: str, filed_at: datetime) -> None:
    connection.execute(
        update(report_table)
        .where(report_table.c.id == report_id)
        .values(created_at=filed_at, updated_at=filed_at)
    )
    connection.execute(
        update(report_events)
        .where(report_events.c.report_id == report_id)
        .values(created_at=filed_at)
    )


def describe(logins: dict[str, Any], logins_file: Path) -> str:
    """Return the text printed when the demo starts: where to go and how to sign in."""
    lines = [
        "",
        "Résidacœur demo estate",
        f"  Portal:      {logins['url']}",
        f"  Staff pages: {logins['url']}staff/sign-in",
        "",
        "  Tenants (access code, then the name and PIN, or create a profile):",
    ]
    shown = [t for t in logins["tenants"] if t["profiles"]][:4]
    shown += [t for t in logins["tenants"] if not t["profiles"]][:2]
    for tenant in shown:
        people_text = ", ".join(f"{p['name']} PIN {p['pin']}" for p in tenant["profiles"])
        lines.append(
            f"    {tenant['dwelling']:<8} {tenant['code']}  {people_text or 'new household'}"
        )
    lines += ["", "  Staff (username / password):"]
    for member in logins["staff"]:
        lines.append(f"    {member['role']:<15} {member['username']:<12} {member['password']}")
    lines += ["", f"  Every login is in {logins_file}", ""]
    return "\n".join(lines)
