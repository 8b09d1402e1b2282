"""The demo estate's pieces, and the estate of a box on its own.

Codes and passwords are made at random on first start (never written in the
repository) and saved to ``demo-logins.json``: codes cannot be read back from the
database, so that file is the only place they exist.

Each piece takes the connection of the database it belongs in, so the same pieces build
one box holding everything (``build``) or a hub and its boxes (``appliance.demo.linked``).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, update

from appliance.demo import community, content
from core.domain import access_codes, estate, news, people, reports, works
from core.domain.clock import utcnow
from core.private_files import private_file
from core.storage.schema import report_events, residences
from core.storage.schema import reports as report_table

Ids = dict[str, str]


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


def build(connection: Connection, pepper: str, today: date | None = None) -> dict[str, Any]:
    """Create, on one box, residences, buildings, dwellings, people, news, works and reports."""
    today = today or utcnow().date()
    residence_id, building_ids = add_place(connection)
    tenants, profile_ids = add_households(connection, pepper, building_ids)
    publisher_ids = add_publishers(connection)
    staff_logins, staff_ids = add_staff(connection, content.STAFF, building_ids, publisher_ids)
    publish(connection, residence_id, building_ids, publisher_ids, today)
    community.add_deals_and_services(connection, residence_id, publisher_ids, today)
    report_ids = file_reports(connection, profile_ids)
    backdate_reports(connection, report_ids)
    answer_reports(connection, people.get_staff(connection, staff_ids["agent"]), report_ids, today)
    say_me_too(connection, profile_ids, report_ids)
    community.add_posts(connection, profile_ids)
    community.add_skills(connection, profile_ids)
    community.add_events(connection, profile_ids)
    community.add_contacts(connection, staff_ids, building_ids)
    community.add_sessions(connection, staff_ids, profile_ids)
    return {"tenants": tenants, "staff": staff_logins}


def add_place(connection: Connection) -> tuple[str, Ids]:
    """Create the residence and its buildings; return its id and the buildings' by key."""
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
    return residence_id, building_ids


def _pin() -> str:
    while True:
        pin = "".join(secrets.choice("0123456789") for _ in range(4))
        if len(set(pin)) > 1:
            return pin


def add_households(
    connection: Connection, pepper: str, building_ids: Ids
) -> tuple[list[dict[str, Any]], Ids]:
    """Register the dwellings of these buildings with a code each, and the first profiles.

    Returns the tenants' logins and, by dwelling, the id of its first profile.
    """
    tenants = []
    profile_ids: Ids = {}
    for key, building_id in building_ids.items():
        building = content.BUILDINGS[key]
        for staircase in building["staircases"]:
            for floor in range(building["floors"]):
                for door in range(1, building["doors_per_floor"] + 1):
                    reference = f"{key}{staircase}-{floor}{door:02d}"
                    dwelling_id = estate.register_dwelling(
                        connection, building_id, reference, staircase, floor
                    )
                    tenants.append(
                        _household(connection, pepper, reference, dwelling_id, profile_ids)
                    )
    return tenants, profile_ids


def _household(
    connection: Connection, pepper: str, reference: str, dwelling_id: str, profile_ids: Ids
) -> dict[str, Any]:
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
    return entry


def add_publishers(connection: Connection) -> Ids:
    """Create the publishers; return their ids by key."""
    return {
        key: news.add_publisher(connection, name, kind)
        for key, (name, kind) in content.PUBLISHERS.items()
    }


def add_staff(
    connection: Connection,
    members: Iterable[tuple[str, str, str, str | None, list[str]]],
    building_ids: Ids,
    publisher_ids: Ids,
) -> tuple[list[dict[str, str]], Ids]:
    """Create staff accounts with random passwords, attached to the buildings given.

    Returns their logins and their ids by username.
    """
    logins, ids = [], {}
    for username, name, role, publisher_key, building_keys in members:
        password = secrets.token_urlsafe(9)
        ids[username] = people.create_staff(
            connection,
            username,
            name,
            password,
            role,
            [building_ids[k] for k in building_keys if k in building_ids],
            publisher_id=publisher_ids.get(publisher_key) if publisher_key else None,
        )
        logins.append({"username": username, "password": password, "role": role, "name": name})
    return logins, ids


def publish(
    connection: Connection, residence_id: str, building_ids: Ids, publisher_ids: Ids, today: date
) -> None:
    """Publish the news and announce the works of every scope."""
    scope_refs = {
        "residence": ("residence", residence_id),
        "district": ("district", content.RESIDENCE["district"]),
        "city": ("city", content.RESIDENCE["city"]),
    } | {f"building:{key}": ("building", building_id) for key, building_id in building_ids.items()}
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
            language="fr",
            versions=content.VERSIONS.get(title),
        )
    for publisher_key, scope, title, location, starts_in, lasts, action in content.WORKS:
        works.announce(
            connection,
            *scope_refs[scope],
            title,
            location,
            today + timedelta(days=starts_in),
            today + timedelta(days=starts_in + lasts),
            action,
            publisher_id=publisher_ids[publisher_key],
            language="fr",
            versions=content.VERSIONS.get(title),
        )


def file_reports(connection: Connection, profile_ids: Ids) -> dict[int, str]:
    """File the reports of the households given; return their ids by position in REPORTS."""
    report_ids = {}
    for position, (reference, category, location, description, _moves) in enumerate(
        content.REPORTS
    ):
        if reference in profile_ids:
            profile = people.get_profile(connection, profile_ids[reference])
            report_ids[position] = reports.file(
                connection, profile, category, location, description
            )
    return report_ids


def backdate_reports(connection: Connection, report_ids: dict[int, str]) -> None:
    """Make each report as old as REPORT_AGES_DAYS says, so filters by age show something."""
    now = utcnow()
    for position, report_id in report_ids.items():
        age = content.REPORT_AGES_DAYS[position]
        filed_at = now - timedelta(days=age, hours=age % 7)
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


def answer_reports(
    connection: Connection, agent: dict[str, Any], report_ids: dict[int, str], today: date
) -> None:
    """Move each report through its statuses as the landlord's agent."""
    for position, report_id in report_ids.items():
        for status, message, in_days, duplicate_of in content.REPORTS[position][4]:
            reports.move(
                connection,
                agent,
                report_id,
                status,
                message,
                scheduled_for=today + timedelta(days=in_days) if in_days is not None else None,
                duplicate_of=report_ids[duplicate_of] if duplicate_of is not None else None,
                today=today,
            )


def say_me_too(connection: Connection, profile_ids: Ids, report_ids: dict[int, str]) -> None:
    """Add the neighbours' "me too" on the reports of their buildings."""
    for reference, position in content.ME_TOO:
        if reference in profile_ids and position in report_ids:
            profile = people.get_profile(connection, profile_ids[reference])
            reports.me_too(connection, profile, report_ids[position])


def describe_box_only(logins: dict[str, Any], logins_file: Path) -> str:
    """Return the text printed when a demo box starts: where to go and how to sign in."""
    url = logins["url"]
    lines = [
        "",
        "Résidacœur demo box",
        f"  Portal:      {url}",
        f"  Staff pages: {url}staff/sign-in",
        "",
        *tenant_lines(logins["tenants"]),
        "",
        "  Staff (username / password):",
        *staff_lines(logins["staff"]),
        "",
        f"  Every login is in {logins_file}",
        "",
    ]
    return "\n".join(lines)


def tenant_lines(tenants: list[dict[str, Any]]) -> list[str]:
    lines = ["  Tenants (access code, then the name and PIN, or create a profile):"]
    shown = [t for t in tenants if t["profiles"]][:4]
    shown += [t for t in tenants if not t["profiles"]][:2]
    for tenant in shown:
        people_text = ", ".join(f"{p['name']} PIN {p['pin']}" for p in tenant["profiles"])
        lines.append(
            f"    {tenant['dwelling']:<8} {tenant['code']}  {people_text or 'new household'}"
        )
    return lines


def staff_lines(staff: list[dict[str, Any]]) -> list[str]:
    return [
        f"    {member['role']:<15} {member['username']:<12} {member['password']}"
        for member in staff
    ]


def write_logins(path: Path, logins: dict[str, Any]) -> None:
    """Write the logins file, readable by its owner only: it holds every code and password."""
    with private_file(path) as handle:
        json.dump(logins, handle, ensure_ascii=False, indent=2)


def with_url(logins: dict[str, Any], url: str) -> dict[str, Any]:
    """Return a box's logins with the address where everyone signs in."""
    return {
        **logins,
        "url": url,
        "tenants": [{**tenant, "url": url} for tenant in logins["tenants"]],
        "staff": [{**member, "url": url} for member in logins["staff"]],
    }
