"""Reports: filing, who sees what, "me too", and the landlord's moves along the timeline."""

from datetime import date, timedelta

import pytest

from core.domain import access_codes, notifications, people, reports
from core.domain import report_status as rs
from core.domain.errors import DomainError, NotFound
from tests.conftest import PIN

TODAY = date(2026, 11, 23)


def _profile(connection, pepper, estate, reference, name):
    from core.domain import access_codes

    code = access_codes.find(connection, pepper, estate.codes[reference])
    profile_id = people.create_profile(
        connection, code["id"], estate.dwellings[reference], name, "fr", PIN, PIN
    )
    return people.get_profile(connection, profile_id)


@pytest.fixture
def households(engine, pepper, small_estate):
    with engine.begin() as connection:
        return {
            ref: _profile(connection, pepper, small_estate, ref, name)
            for ref, name in [("A-01", "Odette"), ("A-02", "Karim"), ("B-01", "Aïcha")]
        }


def _agent(connection, estate, username="agent"):
    return people.get_staff(connection, estate.staff[username])


def test_a_filed_report_starts_received_with_a_reference_of_its_building(engine, households):
    with engine.begin() as connection:
        first = reports.file(connection, households["A-01"], "lift", "lift", "Panne")
        second = reports.file(connection, households["A-01"], "noise", "dwelling", "Bruit")
        assert reports.get(connection, first)["status"] == rs.RECEIVED
        # "Bâtiment A" is BA: the building's code, then the number.
        assert reports.reference_of_report(connection, first) == "BA-1"
        assert reports.get(connection, second)["reference"] == "BA-2"
        assert [e["status"] for e in reports.timeline(connection, first)] == [rs.RECEIVED]


@pytest.mark.parametrize(
    ("category", "location", "description", "field"),
    [
        ("flood", "hall", "x", "category"),
        ("lift", "roof", "x", "location"),
        ("lift", "lift", "   ", "description"),
        ("lift", "lift", "x" * 2001, "description"),
    ],
)
def test_a_report_with_a_bad_field_is_refused_and_names_the_field(
    engine, households, category, location, description, field
):
    with engine.begin() as connection, pytest.raises(DomainError) as caught:
        reports.file(connection, households["A-01"], category, location, description)
    assert caught.value.field == field


def test_neighbours_see_open_common_area_reports_but_not_private_ones(engine, households):
    with engine.begin() as connection:
        hall = reports.file(connection, households["A-01"], "cleanliness", "hall", "Sale")
        home = reports.file(connection, households["A-01"], "pests", "dwelling", "Cafards")
        seen = reports.open_in_common_areas(
            connection, households["A-02"]["building_id"], households["A-02"]["dwelling_id"]
        )
        assert [r["id"] for r in seen] == [hall]
        with pytest.raises(NotFound):
            reports.get_for_tenant(connection, households["A-02"], home)
        with pytest.raises(NotFound):
            reports.get_for_tenant(connection, households["B-01"], hall)


def test_me_too_is_counted_once_per_household(engine, households):
    with engine.begin() as connection:
        hall = reports.file(connection, households["A-01"], "lift", "lift", "Panne")
        assert reports.me_too(connection, households["A-02"], hall) is True
        assert reports.me_too(connection, households["A-02"], hall) is False
        assert reports.get(connection, hall)["me_too_count"] == 1
        with pytest.raises(DomainError):
            reports.me_too(connection, households["A-01"], hall)


def test_the_agent_moves_a_report_along_with_messages(engine, households, small_estate):
    with engine.begin() as connection:
        agent = _agent(connection, small_estate)
        report_id = reports.file(connection, households["A-01"], "lift", "lift", "Panne")
        reports.move(connection, agent, report_id, rs.ACKNOWLEDGED, "Bien reçu", today=TODAY)
        reports.move(
            connection,
            agent,
            report_id,
            rs.SCHEDULED,
            "Technicien",
            scheduled_for=TODAY + timedelta(days=2),
            today=TODAY,
        )
        reports.move(connection, agent, report_id, rs.RESOLVED, "Réparé", today=TODAY)
        reports.move(connection, agent, report_id, rs.CLOSED, today=TODAY)
        entries = reports.timeline(connection, report_id)
        assert [e["status"] for e in entries] == [
            rs.RECEIVED,
            rs.ACKNOWLEDGED,
            rs.SCHEDULED,
            rs.RESOLVED,
            rs.CLOSED,
        ]
        assert entries[2]["scheduled_for"] == TODAY + timedelta(days=2)
        with pytest.raises(DomainError):
            reports.move(connection, agent, report_id, rs.ACKNOWLEDGED, today=TODAY)


def test_scheduling_needs_a_date_not_in_the_past(engine, households, small_estate):
    with engine.begin() as connection:
        agent = _agent(connection, small_estate)
        report_id = reports.file(connection, households["A-01"], "lift", "lift", "Panne")
        with pytest.raises(DomainError) as caught:
            reports.move(connection, agent, report_id, rs.SCHEDULED, today=TODAY)
        assert caught.value.field == "scheduled_for"
        with pytest.raises(DomainError):
            reports.move(
                connection,
                agent,
                report_id,
                rs.SCHEDULED,
                scheduled_for=TODAY - timedelta(days=1),
                today=TODAY,
            )


def test_not_responsible_and_duplicate_need_a_reason(engine, households, small_estate):
    with engine.begin() as connection:
        agent = _agent(connection, small_estate)
        first = reports.file(connection, households["A-01"], "lift", "lift", "Panne")
        again = reports.file(connection, households["A-02"], "lift", "lift", "Panne aussi")
        for status in (rs.NOT_RESPONSIBLE, rs.DUPLICATE):
            with pytest.raises(DomainError) as caught:
                reports.move(connection, agent, again, status, "", today=TODAY)
            assert caught.value.code == "reason_missing"
        reports.move(
            connection, agent, again, rs.DUPLICATE, "Déjà signalé", duplicate_of=first, today=TODAY
        )
        assert reports.get(connection, again)["duplicate_of"] == first


def test_a_report_cannot_be_a_duplicate_of_itself_or_of_another_building(
    engine, households, small_estate
):
    with engine.begin() as connection:
        agent = _agent(connection, small_estate)
        in_a = reports.file(connection, households["A-01"], "lift", "lift", "Panne")
        in_b = reports.file(connection, households["B-01"], "lift", "lift", "Panne")
        for original in (in_a, in_b, "0" * 32, None):
            with pytest.raises(DomainError) as caught:
                reports.move(
                    connection, agent, in_a, rs.DUPLICATE, "x", duplicate_of=original, today=TODAY
                )
            assert caught.value.field == "duplicate_of"
        assert reports.get(connection, in_a)["status"] == rs.RECEIVED


def test_an_agent_cannot_act_on_another_building(engine, households, small_estate):
    with engine.begin() as connection:
        agent_b = _agent(connection, small_estate, "agent.b")
        in_a = reports.file(connection, households["A-01"], "lift", "lift", "Panne")
        with pytest.raises(NotFound):
            reports.move(connection, agent_b, in_a, rs.ACKNOWLEDGED, today=TODAY)
        with pytest.raises(NotFound):
            reports.reply(connection, agent_b, in_a, "Bonjour")
        theirs = reports.AgentFilter(agent_b["building_ids"])
        assert reports.for_agent(connection, theirs).items == []


def test_agent_filters_by_status_category_and_age(engine, households, small_estate):
    from datetime import datetime

    with engine.begin() as connection:
        agent = _agent(connection, small_estate)
        lift = reports.file(connection, households["A-01"], "lift", "lift", "Panne")
        noise = reports.file(connection, households["B-01"], "noise", "dwelling", "Bruit")
        reports.move(connection, agent, noise, rs.RESOLVED, "Fait", today=TODAY)
        ids = agent["building_ids"]

        def kept(now=None, **chosen) -> list[str]:
            page = reports.for_agent(connection, reports.AgentFilter(ids, **chosen), now=now)
            return [r["id"] for r in page.items]

        def counted(now=None, **chosen) -> int:
            return reports.count_for_agent(connection, reports.AgentFilter(ids, **chosen), now=now)

        assert kept(status="open") == [lift] and counted(status="open") == 1
        assert kept(category="noise") == [noise]
        later = datetime.now() + timedelta(days=10)
        assert set(kept(later, age="over_week")) == {lift, noise}
        assert counted(later, age="over_week") == 2
        assert kept(later, age="today") == []


def test_an_agents_long_list_comes_a_page_at_a_time_with_its_count(
    engine, households, small_estate
):
    with engine.begin() as connection:
        agent = _agent(connection, small_estate)
        filed = [
            reports.file(connection, households["A-01"], "lift", "lift", f"Panne {n}")
            for n in range(5)
        ]
        ids, pages, after = agent["building_ids"], [], None
        while True:
            still_open = reports.AgentFilter(ids, status="open")
            page = reports.for_agent(connection, still_open, after=after, size=2)
            pages.append([r["id"] for r in page.items])
            if page.rest is None:
                break
            after = page.rest
        assert pages == [filed[0:2], filed[2:4], filed[4:]]
        assert reports.count_for_agent(connection, reports.AgentFilter(ids, status="open")) == 5


def test_tenant_messages_stop_once_the_report_is_closed(engine, households, small_estate):
    with engine.begin() as connection:
        agent = _agent(connection, small_estate)
        report_id = reports.file(connection, households["A-01"], "lift", "lift", "Panne")
        reports.add_tenant_message(connection, households["A-01"], report_id, "Toujours en panne")
        reports.reply(connection, agent, report_id, "Le technicien arrive")
        kinds = [(e["kind"], e.get("author_kind")) for e in reports.timeline(connection, report_id)]
        assert kinds == [("status", None), ("message", "tenant"), ("message", "agent")]
        reports.move(connection, agent, report_id, rs.RESOLVED, today=TODAY)
        reports.move(connection, agent, report_id, rs.CLOSED, today=TODAY)
        with pytest.raises(DomainError):
            reports.add_tenant_message(connection, households["A-01"], report_id, "Encore")


def test_the_next_household_does_not_see_the_reports_of_the_one_that_moved_out(
    engine, pepper, households, small_estate
):
    from core.domain import access_codes

    with engine.begin() as connection:
        private = reports.file(connection, households["A-01"], "pests", "dwelling", "Cafards")
        people.move_out(connection, small_estate.dwellings["A-01"], small_estate.staff["agent"])
        code = access_codes.find(
            connection,
            pepper,
            access_codes.issue(connection, pepper, small_estate.dwellings["A-01"]),
        )
        newcomer = people.get_profile(
            connection,
            people.create_profile(
                connection, code["id"], small_estate.dwellings["A-01"], "Léa", "fr", PIN, PIN
            ),
        )
        assert reports.for_household(connection, small_estate.dwellings["A-01"]) == []
        with pytest.raises(NotFound):
            reports.get_for_tenant(connection, newcomer, private)


def test_every_landlord_message_tells_the_household_and_no_one_else(
    engine, households, small_estate, pepper
):
    with engine.begin() as connection:
        odette = households["A-01"]
        # A second member of Odette's household, who did not file the report.
        code = access_codes.find(connection, pepper, small_estate.codes["A-01"])
        louis = people.create_profile(
            connection, code["id"], small_estate.dwellings["A-01"], "Louis", "fr", PIN, PIN
        )
        report_id = reports.file(connection, odette, "leak", "dwelling", "Fuite sous l'évier")
        reports.add_tenant_message(connection, odette, report_id, "C'est urgent")
        assert notifications.unread_count(connection, odette["id"]) == 0
        reports.reply(connection, _agent(connection, small_estate), report_id, "On passe demain")
        for member in (odette["id"], louis):
            (told,) = notifications.recent(connection, member)
            assert told["kind"] == "report_reply" and told["subject_id"] == report_id
            assert told["detail"] == {"number": reports.reference_of_report(connection, report_id)}
        assert notifications.unread_count(connection, households["A-02"]["id"]) == 0


def test_at_a_glance_the_planned_day_and_the_landlords_last_words(engine, households, small_estate):
    with engine.begin() as connection:
        agent = _agent(connection, small_estate)
        report_id = reports.file(connection, households["A-01"], "leak", "dwelling", "Fuite")
        glance = reports.at_a_glance(reports.timeline(connection, report_id))
        assert glance == {"planned": None, "last_words": None}
        visit = TODAY + timedelta(days=3)
        reports.move(
            connection, agent, report_id, rs.SCHEDULED, "Le plombier passe", visit, today=TODAY
        )
        reports.add_tenant_message(connection, households["A-01"], report_id, "Merci")
        glance = reports.at_a_glance(reports.timeline(connection, report_id))
        assert glance["planned"] == visit
        assert glance["last_words"]["text"] == "Le plombier passe"
        reports.reply(connection, agent, report_id, "Il vient le matin")
        assert (
            reports.at_a_glance(reports.timeline(connection, report_id))["last_words"]["text"]
            == "Il vient le matin"
        )
        # Solved: nothing is planned any more.
        reports.move(connection, agent, report_id, rs.RESOLVED, today=TODAY)
        glance = reports.at_a_glance(reports.timeline(connection, report_id))
        assert glance["planned"] is None and glance["last_words"]["text"] == "Il vient le matin"
