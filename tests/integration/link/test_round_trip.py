"""A report filed on a box reaches the hub, and the agent's answer comes back to the box."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from core.domain import (
    access_codes,
    deals,
    news,
    outbox,
    partners,
    people,
    photos,
    publishing,
    reports,
    works,
)
from core.domain import estate as estate_rules
from core.domain import report_status as rs
from core.domain.clock import utcnow
from core.domain.errors import DomainError
from core.secrets import ensure_secrets
from core.storage.engine import writing
from core.storage.schema import news as news_table
from core.storage.schema import outbox as outbox_table
from core.storage.schema import report_photos, works_notices
from core.storage.schema import reports as report_table
from link.mqtt_link import wait_until
from tests.conftest import PIN

WAIT = 20.0


def _tenant(linked, estate, reference="A-01", name="Odette"):
    pepper = ensure_secrets(linked.box_dir)["access_code_pepper"]
    with writing(linked.box) as connection:
        code = access_codes.find(connection, pepper, estate.codes[reference])
        profile_id = people.create_profile(
            connection, code["id"], estate.dwellings[reference], name, "fr", PIN, PIN
        )
        return people.get_profile(connection, profile_id)


def _photo(connection) -> str:
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(picture, "PNG")
    return photos.store(connection, *photos.reencode(picture.getvalue(), 800, 8 << 20))


def _count(engine, table, *where) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table).where(*where)).scalar()


def test_a_report_and_its_photo_reach_the_hub_and_the_answer_comes_back(linked, estate):
    tenant = _tenant(linked, estate)
    with writing(linked.box) as connection:
        report_id = reports.file(
            connection, tenant, "lift", "lift", "L'ascenseur est bloqué au 3e", [_photo(connection)]
        )
        later = utcnow() + outbox.LATE_AFTER + timedelta(seconds=1)
        assert outbox.not_delivered(connection, [report_id], now=later) == {report_id}
    ingest, agent = linked.ingest(), linked.agent()
    try:
        assert wait_until(lambda: _count(linked.hub, report_table) == 1, WAIT)
        assert _count(linked.hub, report_photos, report_photos.c.report_id == report_id) == 1
        assert wait_until(lambda: _count(linked.box, outbox_table) == 0, WAIT)
        with linked.hub.connect() as connection:
            hub_report = reports.get(connection, report_id)
        assert hub_report["dwelling_reference"] == "A-01"
        assert hub_report["description"] == "L'ascenseur est bloqué au 3e"

        with writing(linked.hub) as connection:
            agent_member = people.get_staff(connection, estate.staff["agent"])
            reports.move(
                connection,
                agent_member,
                report_id,
                rs.SCHEDULED,
                "Le technicien passe jeudi.",
                scheduled_for=date.today() + timedelta(days=3),
            )
            reports.reply(connection, agent_member, report_id, "Merci de votre patience.")

        def answered() -> bool:
            with linked.box.connect() as connection:
                return reports.get(connection, report_id)["status"] == rs.SCHEDULED and any(
                    entry["kind"] == "message" and entry["staff_name"] == "Agent"
                    for entry in reports.timeline(connection, report_id)
                )

        assert wait_until(answered, WAIT)
        assert wait_until(lambda: _count(linked.hub, outbox_table) == 0, WAIT)
        with linked.box.connect() as connection:
            events = [e for e in reports.timeline(connection, report_id) if e["kind"] == "status"]
        assert [e["status"] for e in events] == [rs.RECEIVED, rs.SCHEDULED]
        assert events[1]["staff_name"] == "Agent"
        assert events[1]["note"] == "Le technicien passe jeudi."
    finally:
        agent.stop()
        ingest.stop()


def test_news_and_works_written_at_the_hub_reach_the_box_and_leave_it(linked, estate):
    ingest, agent = linked.ingest(), linked.agent()
    try:
        with writing(linked.hub) as connection:
            news_id = news.publish(
                connection,
                estate.publishers["town_hall"],
                "Fête des voisins",
                "Vendredi soir dans la cour.",
                "residence",
                estate.residence_id,
            )
            picture = _photo(connection)
            notice_id = works.announce(
                connection,
                "residence",
                estate.residence_id,
                "Entretien des espaces verts",
                "Jardins",
                date.today(),
                date.today() + timedelta(days=5),
                publisher_id=estate.publishers["landlord"],
                photo_id=picture,
                versions={"ar": {"title": "صيانة المساحات الخضراء", "location": "الحدائق"}},
            )
        assert wait_until(
            lambda: _count(linked.box, news_table, news_table.c.id == news_id) == 1, WAIT
        )
        assert wait_until(
            lambda: _count(linked.box, works_notices, works_notices.c.id == notice_id) == 1,
            WAIT,
        )
        with linked.box.connect() as connection:
            shown = works.current_for_building(
                connection, estate_rules.get_building(connection, estate.building_b)
            )
            assert [(n["title"], n["publisher_name"], n["language"]) for n in shown] == [
                ("Entretien des espaces verts", "Habitat Sud", "fr")
            ]
            # The Arabic version written at the hub came with the notice.
            assert shown[0]["versions"] == {
                "ar": {"title": "صيانة المساحات الخضراء", "location": "الحدائق"}
            }
            assert photos.load(connection, picture) is not None
        with writing(linked.hub) as connection:
            publishing.take_down(connection, news.PUBLICATION, news_id, estate.staff["mairie"])
            publishing.take_down(connection, works.PUBLICATION, notice_id, estate.staff["agent"])
        assert wait_until(
            lambda: _count(linked.box, news_table, news_table.c.id == news_id) == 0, WAIT
        )
        assert wait_until(
            lambda: _count(linked.box, works_notices, works_notices.c.id == notice_id) == 0,
            WAIT,
        )
    finally:
        agent.stop()
        ingest.stop()


def test_on_a_linked_box_reports_are_answered_at_the_hub_only(linked, estate):
    tenant = _tenant(linked, estate)
    with writing(linked.box) as connection:
        report_id = reports.file(connection, tenant, "noise", "hall", "Bruit la nuit")
    with pytest.raises(DomainError) as refused, writing(linked.box) as connection:
        member = people.get_staff(connection, estate.staff["agent"])
        reports.move(connection, member, report_id, rs.ACKNOWLEDGED, "Vu")
    assert refused.value.code == "answered_at_hub"


def test_deals_and_services_written_at_the_hub_reach_the_box_and_leave_it(linked, estate):
    ingest, agent = linked.ingest(), linked.agent()
    today = date.today()
    try:
        with writing(linked.hub) as connection:
            shop = estate.publishers["shop"]
            deal_id = deals.publish(
                connection,
                shop,
                "Pain offert",
                "Le lundi.",
                today,
                today + timedelta(days=5),
                [estate.residence_id],
                versions={"en": {"title": "Free bread", "description": "On Mondays."}},
            )
            partner_id = partners.add(
                connection,
                None,
                name="Centre social",
                category="social",
                description="Aide aux démarches.",
                address="",
                phone="",
                opening_hours="",
                scope_kind="city",
                scope_ref="Marseille",
                versions={"ar": {"description": "مساعدة في الإجراءات."}},
            )
        with linked.box.connect() as connection:
            building = estate_rules.get_building(connection, estate.building_a)

        def on_box() -> tuple[list[tuple], list[tuple]]:
            with linked.box.connect() as connection:
                return (
                    [
                        (d["shop_name"], d["versions"])
                        for d in deals.current(connection, estate.residence_id)
                    ],
                    [(p["name"], p["versions"]) for p in partners.directory(connection, building)],
                )

        # Each comes with the versions written at the hub.
        assert wait_until(
            lambda: (
                on_box()
                == (
                    [
                        (
                            "Boulangerie du Marché",
                            {"en": {"title": "Free bread", "description": "On Mondays."}},
                        )
                    ],
                    [("Centre social", {"ar": {"description": "مساعدة في الإجراءات."}})],
                )
            ),
            WAIT,
        )
        with writing(linked.hub) as connection:
            publishing.take_down(connection, deals.PUBLICATION, deal_id, estate.staff["operateur"])
            publishing.take_down(
                connection, partners.PUBLICATION, partner_id, estate.staff["operateur"]
            )
        assert wait_until(lambda: on_box() == ([], []), WAIT)
    finally:
        agent.stop()
        ingest.stop()
