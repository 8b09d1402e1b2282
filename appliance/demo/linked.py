"""The whole demo estate: a hub, its broker and a box per building, built once.

The hub holds the residence, its buildings, the landlord's agent, the publishers and the
operator, and writes the news and works notices. Each box is enrolled at the hub for its
building, as a real one would be (same ids on both sides), then gets its dwellings, codes,
households, caretaker and reports. What must cross the link crosses it through the outbox
and the inbox (``appliance.demo.courier``), so both sides agree before anything runs.
"""

from __future__ import annotations

import json
import pwd
from datetime import date
from os import geteuid
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine

from appliance.demo import community, content, courier, estate
from appliance.demo.layout import LOOPBACK, Layout, Node
from core.domain import people, side
from core.domain.clock import utcnow
from core.secrets import ensure_secrets
from core.storage import migrations
from core.storage.engine import make_engine, writing
from link import settings
from provisioning import hub_broker
from provisioning.enrolment import accept_enrolment, enrol_box


def ensure_whole_estate(layout: Layout) -> dict[str, Any]:
    """Build the estate on first start, or take it up again; return its logins with URLs.

    Every start writes the broker's folder for this start's ports and points the boxes
    at it, so the same folder can be started again on other ports.
    """
    databases = [node.data_dir / node.database_file for node in layout.nodes]
    whole = layout.logins_file.exists() and all(path.exists() for path in databases)
    fresh = not layout.logins_file.exists() and not any(path.exists() for path in databases)
    if not whole and not fresh:
        raise RuntimeError(
            f"{layout.root} holds something else than a whole demo estate "
            "(a demo box alone, or an estate whose first start failed); "
            "choose another --data-dir or empty this one"
        )
    hub_settings = hub_broker.set_up_broker(
        layout.hub.data_dir,
        layout.broker_port,
        layout.broker_tls_port,
        host=LOOPBACK,
        broker_dir=layout.broker_dir,
        # Started as root, Mosquitto would switch to its own user and lose access to the
        # files written here, readable by their owner only.
        run_as=pwd.getpwuid(geteuid()).pw_name,
        listen=LOOPBACK,
    )
    if whole:
        logins = json.loads(layout.logins_file.read_text(encoding="utf-8"))
        _point_boxes_at_broker(layout, hub_settings)
    else:
        logins = build(layout, hub_settings)
    logins = with_urls(logins, layout)
    estate.write_logins(layout.logins_file, logins)
    return logins


def build(layout: Layout, hub_settings: dict[str, Any], today: date | None = None) -> dict:
    """Create the hub's and the boxes' databases and everything in them."""
    today = today or utcnow().date()
    hub = _open(layout.hub)
    boxes = {node.box_id: _open(node) for node in layout.boxes}
    try:
        with writing(hub) as connection:
            side.become_hub(connection)
            residence_id, building_ids = estate.add_place(connection)
            publisher_ids = estate.add_publishers(connection)
            staff_logins, staff_ids = estate.add_staff(
                connection,
                [m for m in content.STAFF if m[2] not in content.STAFF_ON_BOXES],
                building_ids,
                publisher_ids,
            )
            enrolments = {
                node.box_id: enrol_box(
                    connection,
                    hub_broker.broker_folder(hub_settings).passwords,
                    node.box_id,
                    node.label,
                    [building_ids[node.building_key]],
                    hub_broker.broker_for_boxes(hub_settings),
                )
                for node in layout.boxes
            }
        for member in staff_logins:
            member["console"] = "hub"
        tenants, report_ids, lobbies = [], {}, {}
        for node in layout.boxes:
            box_tenants, box_staff, box_reports, lobbies[node.box_id] = _fill_box(
                node, boxes[node.box_id], enrolments[node.box_id], building_ids
            )
            tenants += box_tenants
            staff_logins += box_staff
            report_ids[node.box_id] = box_reports
        courier.deliver_all(hub, boxes)
        for box_id, box in boxes.items():
            for engine in (box, hub):
                with writing(engine) as connection:
                    estate.backdate_reports(connection, report_ids[box_id])
        every_report = {k: v for ids in report_ids.values() for k, v in ids.items()}
        with writing(hub) as connection:
            agent = people.get_staff(connection, staff_ids["agent"])
            estate.answer_reports(connection, agent, every_report, today)
            estate.publish(connection, residence_id, building_ids, publisher_ids, today)
            community.add_deals_and_services(connection, residence_id, publisher_ids, today)
        courier.deliver_all(hub, boxes)
    finally:
        for engine in (hub, *boxes.values()):
            engine.dispose()
    order = [m[0] for m in content.STAFF]
    staff_logins.sort(key=lambda member: order.index(member["username"]))
    return {
        "hub": {},
        "boxes": [
            {
                "id": node.box_id,
                "label": node.label,
                "building": _building_name(node),
                "lobby": lobbies[node.box_id],
            }
            for node in layout.boxes
        ],
        "tenants": tenants,
        "staff": staff_logins,
    }


def _open(node: Node) -> Engine:
    node.data_dir.mkdir(parents=True, exist_ok=True)
    ensure_secrets(node.data_dir)
    engine = make_engine(node.database_url)
    migrations.upgrade(engine)
    return engine


def _building_name(node: Node) -> str:
    return content.BUILDINGS[node.building_key]["name"]


def _fill_box(
    node: Node, engine: Engine, enrolment: dict[str, Any], building_ids: dict[str, str]
) -> tuple[list[dict], list[dict], dict[int, str]]:
    """Enrol the box, then register its households and caretaker and file its reports."""
    key = node.building_key
    own = {key: building_ids[key]}
    pepper = ensure_secrets(node.data_dir)["access_code_pepper"]
    with writing(engine) as connection:
        accept_enrolment(connection, node.data_dir, enrolment)
        tenants, profile_ids = estate.add_households(connection, pepper, own)
        staff_logins, staff_ids = estate.add_staff(
            connection,
            [
                m
                for m in content.STAFF
                if (m[2] in content.STAFF_ON_BOXES and key in m[4])
                or m[2] in content.STAFF_ALSO_ON_BOXES
            ],
            own,
            {},
        )
        report_ids = estate.file_reports(connection, profile_ids)
        estate.say_me_too(connection, profile_ids, report_ids)
        community.add_posts(connection, profile_ids)
        community.add_skills(connection, profile_ids)
        community.add_events(connection, profile_ids)
        community.add_contacts(connection, staff_ids, own)
        community.add_sessions(connection, staff_ids, profile_ids)
        lobby = community.add_lobby_screens(connection, staff_ids, own)
    for entry in tenants:
        entry["box"] = node.box_id
    for member in staff_logins:
        member["console"] = node.box_id
    return tenants, staff_logins, report_ids, lobby


def _point_boxes_at_broker(layout: Layout, hub_settings: dict[str, Any]) -> None:
    """Give each box the broker's address of this start."""
    broker = hub_settings["boxes_connect_to"]
    for node in layout.boxes:
        path = node.data_dir / settings.BOX_FILE
        box_settings = settings.read(path)
        box_settings.update(broker_host=broker["host"], broker_port=broker["port"])
        settings.write(path, box_settings)


def with_urls(logins: dict[str, Any], layout: Layout) -> dict[str, Any]:
    """Return the logins with the address of each console and portal on this start."""
    urls = {"hub": layout.hub.url} | {node.box_id: node.url for node in layout.boxes}
    https = {node.box_id: node.https_url for node in layout.boxes}
    return {
        **logins,
        "hub": {**logins["hub"], "url": layout.hub.url},
        "boxes": [
            {
                **box,
                "url": urls[box["id"]],
                "https_url": https[box["id"]],
                # A path on first start, an address of earlier ports on the next ones.
                "lobby": [urls[box["id"]] + urlsplit(at).path.lstrip("/") for at in box["lobby"]],
            }
            for box in logins["boxes"]
        ],
        "tenants": [{**tenant, "url": urls[tenant["box"]]} for tenant in logins["tenants"]],
        "staff": [{**member, "url": urls[member["console"]]} for member in logins["staff"]],
    }


def describe(logins: dict[str, Any], layout: Layout) -> str:
    """Return the text printed when the estate is up: where to go and how to sign in."""
    lines = ["", "Résidacœur demo estate", ""]
    lines.append(f"  Hub console:  {logins['hub']['url']}staff/sign-in")
    for box in logins["boxes"]:
        lines.append(f"  {box['building']} portal: {box['url']} and {box['https_url']}")
    for box in logins["boxes"]:
        lines += ["", f"  {box['building']} — {box['url']}"]
        tenants = [t for t in logins["tenants"] if t["box"] == box["id"]]
        lines += estate.tenant_lines(tenants)
        lines += [f"  Lobby screen: {address}" for address in box["lobby"]]
    lines += ["", "  Staff (username / password, where they sign in):"]
    for member in logins["staff"]:
        lines.append(
            f"    {member['role']:<15} {member['username']:<12} {member['password']:<14} "
            f"{member['url']}staff/sign-in"
        )
    lines += [
        "",
        f"  Every login is in {layout.logins_file}",
        f"  Each process writes to {layout.logs}/",
        "",
    ]
    return "\n".join(lines)
