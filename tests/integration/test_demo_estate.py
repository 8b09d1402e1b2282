"""The demo: a box alone holding the whole estate, and the whole estate on one machine."""

import json
import os
import re
import signal
import ssl
import time
import urllib.error
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

from sqlalchemy import func, select

from appliance.demo import content, layout, linked
from appliance.demo import estate as demo
from core.domain import access_codes, building_contacts
from core.domain import report_status as rs
from core.storage.engine import make_engine
from core.storage.schema import (
    boxes,
    buildings,
    deals,
    dwellings,
    events,
    news,
    outbox,
    partners,
    posts,
    publishers,
    quarantine,
    reports,
    staff,
    works_notices,
)
from core.storage.schema import (
    building_contacts as building_contacts_table,
)
from tests.browser import demo_box

# A report goes from a box to the hub, or an answer back, in well under a second; the
# margin is for a loaded machine.
TRAVEL_SECONDS = 20


def test_the_demo_has_two_buildings_forty_dwellings_and_reports_in_every_state(engine, pepper):
    with engine.begin() as connection:
        logins = demo.build(connection, pepper)
        assert connection.execute(select(func.count()).select_from(buildings)).scalar() == 2
        assert connection.execute(select(func.count()).select_from(dwellings)).scalar() >= 40
        statuses = set(connection.execute(select(reports.c.status)).scalars())
        assert statuses == set(rs.STATUSES)
        kinds = set(connection.execute(select(publishers.c.kind).join(news)).scalars())
        assert {"neighbourhood", "town_hall", "city", "landlord"} <= kinds
        assert connection.execute(select(func.count()).select_from(works_notices)).scalar() >= 2
        for tenant in logins["tenants"]:
            found = access_codes.find(connection, pepper, tenant["code"])
            assert found is not None, tenant["dwelling"]
    roles = {member["role"] for member in logins["staff"]}
    assert roles == {
        "landlord_agent",
        "caretaker",
        "publisher",
        "merchant",
        "mediator",
        "operator",
    }
    assert any(tenant["profiles"] for tenant in logins["tenants"])
    assert any(not tenant["profiles"] for tenant in logins["tenants"])
    # Tenants locked out find whom to ask: each building's caretaker and mediator.
    with engine.connect() as connection:
        cards = building_contacts.of_buildings(connection)
    assert {(card["building_id"], card["role"]) for card in cards} == {
        (building, role)
        for building in _ids(engine, buildings)
        for role in ("caretaker", "mediator")
    }
    assert all(card["hours"] and card["phone"] for card in cards)


def test_a_second_start_reuses_the_logins_file(engine, pepper, tmp_path):
    logins_file = tmp_path / "demo-logins.json"
    with engine.begin() as connection:
        first = demo.ensure_demo_estate(connection, pepper, logins_file)
    logins_file.write_text(json.dumps(first), encoding="utf-8")
    with engine.begin() as connection:
        again = demo.ensure_demo_estate(connection, pepper, logins_file)
        assert again == first
        assert connection.execute(select(func.count()).select_from(buildings)).scalar() == 2


def _ids(engine, table) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(select(table.c.id)).scalars())


def _count(engine, table, *where) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table).where(*where)).scalar()


def test_the_whole_estate_puts_each_thing_on_its_side_with_the_same_ids(tmp_path):
    plan = layout.plan(tmp_path / "estate", 8000)
    logins = linked.ensure_whole_estate(plan)
    hub = make_engine(plan.hub.database_url)
    sides = {node.box_id: make_engine(node.database_url) for node in plan.boxes}
    try:
        with hub.connect() as connection:
            hub_buildings = dict(connection.execute(select(buildings.c.name, buildings.c.id)).all())
            hub_reports = dict(connection.execute(select(reports.c.id, reports.c.status)).all())
            hub_staff = set(connection.execute(select(staff.c.role)).scalars())
            assert set(connection.execute(select(boxes.c.id)).scalars()) == set(sides)
        assert set(hub_reports.values()) == set(rs.STATUSES)
        assert "caretaker" not in hub_staff and "landlord_agent" in hub_staff
        box_reports, board, calendar = {}, {}, {}
        for node in plan.boxes:
            side = sides[node.box_id]
            with side.connect() as connection:
                own = dict(connection.execute(select(buildings.c.name, buildings.c.id)).all())
                box_reports |= dict(
                    connection.execute(select(reports.c.id, reports.c.status)).all()
                )
                roles = set(connection.execute(select(staff.c.role)).scalars())
            name = content.BUILDINGS[node.building_key]["name"]
            assert own == {name: hub_buildings[name]}
            # Reports are answered at the hub; dwellings and codes are managed on the box.
            assert roles == {"caretaker", "mediator", "landlord_agent", "operator"}
            assert _count(side, news) > 0 and _count(side, works_notices) > 0
            assert _count(side, deals) > 0 and _count(side, partners) > 0
            assert _count(side, outbox) == 0 and _count(side, quarantine) == 0
            assert _count(side, building_contacts_table) == 2
            with side.connect() as connection:
                board[node.box_id] = set(connection.execute(select(posts.c.title)).scalars())
                calendar[node.box_id] = set(connection.execute(select(events.c.title)).scalars())
        assert box_reports == hub_reports
        # The hub keeps every box's board; a residence post reaches both boxes.
        residence_posts = {p[4] for p in content.POSTS if p[2] == "residence"}
        with hub.connect() as connection:
            assert set(connection.execute(select(posts.c.title)).scalars()) == {
                p[4] for p in content.POSTS
            }
        assert all(residence_posts <= titles for titles in board.values())
        # So with events: the residence's are in every box's calendar; the mediator's
        # sessions are in the calendar of the building each is for.
        residence_events = {e[5] for e in content.EVENTS if e[1] == "residence"}
        sessions = {s[5] for s in content.SESSIONS}
        with hub.connect() as connection:
            assert (
                set(connection.execute(select(events.c.title)).scalars())
                == {e[5] for e in content.EVENTS} | sessions
            )
        assert all(residence_events | sessions <= titles for titles in calendar.values())
        assert _count(hub, outbox) == 0 and _count(hub, quarantine) == 0
    finally:
        hub.dispose()
        for side in sides.values():
            side.dispose()
    urls = {box["id"]: box["url"] for box in logins["boxes"]}
    assert all(tenant["url"] == urls[tenant["box"]] for tenant in logins["tenants"])
    assert {m["username"]: m["url"] for m in logins["staff"] if m["role"] == "caretaker"} == {
        "gardien.a": plan.boxes[0].url,
        "gardienne.b": plan.boxes[1].url,
    }
    assert linked.ensure_whole_estate(plan) == logins


class Api:
    """A script talking to one web service's JSON API with its own cookies."""

    def __init__(self, url: str) -> None:
        self.base = url.rstrip("/") + "/api/v1"
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.token: str | None = None

    def get(self, path: str) -> tuple[int, dict]:
        return self._send("GET", path, None, {})

    def post(self, path: str, body: dict) -> tuple[int, dict]:
        return self._send(
            "POST", path, json.dumps(body).encode(), {"Content-Type": "application/json"}
        )

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, dict]:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        ]
        data = ("".join(parts) + f"--{boundary}--\r\n").encode()
        return self._send(
            "POST", path, data, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )

    def _send(self, method: str, path: str, data: bytes | None, headers: dict) -> tuple[int, dict]:
        if method != "GET" and self.token is None:
            self.token = self.get("/session")[1]["csrf_token"]
        if self.token:
            headers["X-CSRFToken"] = self.token
        request = urllib.request.Request(self.base + path, data, headers, method=method)
        try:
            with self.opener.open(request, timeout=10) as response:
                status, body = response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            status, body = error.code, json.loads(error.read() or b"{}")
        self.token = body.get("csrf_token", self.token)
        return status, body


def _answers(url: str, tls: ssl.SSLContext) -> bool | None:
    try:
        with urllib.request.urlopen(url, timeout=5, context=tls) as answer:
            return answer.status == 200 or None
    except (urllib.error.URLError, OSError):
        return None


def _within(seconds: float, find):
    deadline = time.monotonic() + seconds
    while (found := find()) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _alive(pid: int) -> bool:
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False


def _command(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]


def _kill_and_see_started_again(estate: demo_box.DemoEstate, pid: int) -> None:
    """Kill one process of the estate outright and see the same command started again."""
    before = _children(estate.process.pid)
    command = _command(pid)
    os.kill(pid, signal.SIGKILL)

    def started_again():
        now = [p for p in _children(estate.process.pid) if _alive(p)]
        new = [p for p in now if p not in before]
        return new[0] if len(now) == len(before) and new else None

    again = _within(TRAVEL_SECONDS, started_again)
    assert again is not None, estate.log_tail()
    # Between its fork and its exec, a child still shows the supervisor's command line.
    assert _within(5, lambda: _command(again) == command or None), _command(again)
    # The others were left alone, not stopped and started with it.
    assert set(_children(estate.process.pid)) - {again} == set(before) - {pid}


def test_the_demo_estate_starts_a_killed_agent_again_and_its_reports_and_answers_travel(tmp_path):
    port = demo_box.free_first_port()
    estate = demo_box.start(tmp_path, port)
    try:
        logins = estate.logins
        assert len(logins["boxes"]) == 2 and len({b["url"] for b in logins["boxes"]}) == 2
        assert all(t["code"] and t["url"] for t in logins["tenants"])
        consoles: dict[str, list[str]] = {}
        for member in logins["staff"]:
            consoles.setdefault(member["username"], []).append(member["url"])
        boxes = [box["url"] for box in logins["boxes"]]
        assert consoles["agent"] == consoles["operateur"] == [logins["hub"]["url"], *boxes]
        assert consoles["gardien.a"] == [boxes[0]]
        assert consoles["mairie"] == [logins["hub"]["url"]]
        processes = _children(estate.process.pid)
        # The broker, the ACME authority and its DNS, three processes at the hub (web,
        # ingest, certificates), six on each box (front, web, rooms, media, link,
        # announce).
        assert len(processes) == 18
        # Each box is announced on the machine's loopback under its building's name.
        for node in layout.plan(tmp_path, port).boxes:
            announcement = node.data_dir.parent / "logs" / f"{node.name}-announce.log"
            assert _within(
                TRAVEL_SECONDS,
                lambda announcement=announcement: re.search(
                    r"announced batiment-[ab](-\d+)?\.local at 127\.0\.0\.1",
                    announcement.read_text(encoding="utf-8"),
                ),
            ), announcement.read_text(encoding="utf-8")
        box_a = layout.plan(tmp_path, port).boxes[0]
        # The media process reads the box's news aloud in the background, on its own.
        assert _within(
            TRAVEL_SECONDS, lambda: list((box_a.data_dir / "speech").glob("*.mp3")) or None
        )
        # The box's certificate changes meanwhile (the demo's authority sends one): what
        # is checked here is that its front server answers again once started anew.
        tls = ssl.create_default_context()
        tls.check_hostname = False
        tls.verify_mode = ssl.CERT_NONE
        front = next(
            p
            for p in processes
            if _command(p)[0].startswith("nginx: master") and str(box_a.data_dir) in _command(p)[0]
        )
        _kill_and_see_started_again(estate, front)
        assert _within(TRAVEL_SECONDS, lambda: _answers(box_a.https_url + "welcome", tls))
        processes = _children(estate.process.pid)

        # The report below travels through the agent started again in place of this one.
        box = next(n for n in layout.plan(tmp_path, port).boxes if n.url == estate.url + "/")
        box_agent = next(
            p
            for p in processes
            if _command(p)[-4:] == ["box", "link", "--data-dir", str(box.data_dir)]
        )
        _kill_and_see_started_again(estate, box_agent)
        assert f"{box.name}-link ended (killed by SIGKILL)" in estate.output()
        processes = _children(estate.process.pid)

        household = next(
            t for t in logins["tenants"] if t["url"] == estate.url + "/" and not t["profiles"]
        )
        tenant = Api(household["url"])
        assert tenant.post("/session/code", {"code": household["code"]})[0] == 200
        profile = {"display_name": "Gisèle", "locale": "fr", "pin": "2580", "pin_confirm": "2580"}
        assert tenant.post("/session/profile", profile)[0] == 201
        status, report = tenant.post_form(
            "/reports",
            {
                "category": "heating_water",
                "location": "dwelling",
                "description": "Plus de chauffage.",
            },
        )
        assert status == 201, report

        agent = Api(estate.hub_url)
        member = next(m for m in logins["staff"] if m["role"] == "landlord_agent")
        assert agent.post("/session/staff", member)[0] == 200

        def at_hub():
            listed = agent.get("/staff/reports")[1]["reports"]
            return next((r for r in listed if r["id"] == report["id"]), None)

        assert _within(TRAVEL_SECONDS, at_hub) is not None, estate.log_tail()
        answer = {"status": "acknowledged", "message": "Un chauffagiste vous appelle demain."}
        assert agent.post(f"/staff/reports/{report['id']}/status", answer)[0] == 200

        def answered():
            seen = tenant.get(f"/reports/{report['id']}")[1]
            return seen if seen["status"] == "acknowledged" else None

        seen = _within(TRAVEL_SECONDS, answered)
        assert seen is not None, estate.log_tail()
        assert seen["timeline"][-1]["note"] == answer["message"]
    finally:
        demo_box.stop(estate)
    assert estate.process.returncode == 0
    assert not [pid for pid in processes if _alive(pid)]

    again = demo_box.start(tmp_path, port)
    try:
        assert again.logins == logins
        assert tenant.get(f"/reports/{report['id']}")[1]["status"] == "acknowledged"
    finally:
        demo_box.stop(again)
