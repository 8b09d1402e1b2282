"""Events of the estate: replies within the capacity, and attendees told of changes."""

import re
from datetime import datetime, timedelta

import pytest

from core.domain import calendar_file, events, notifications, people
from core.domain.clock import utcnow
from core.domain.errors import DomainError, Forbidden


def _party(connection, organiser, scope="residence", capacity=None, in_days=3):
    starts = (utcnow() + timedelta(days=in_days)).replace(microsecond=0)
    return events.organise(
        connection,
        organiser,
        events.building_of(organiser),
        scope,
        "Fête des voisins",
        "Chacun apporte un plat.",
        "La cour",
        starts,
        starts + timedelta(hours=4),
        capacity,
        "Comité des Tilleuls",
    )


def test_a_residence_event_reaches_both_buildings_and_a_building_event_one(engine, neighbours):
    odette, samia = neighbours["Odette"], neighbours["Samia"]
    with engine.begin() as connection:
        _party(connection, odette)
        events.organise(
            connection,
            odette,
            events.building_of(odette),
            "building",
            "Atelier du hall A",
            "",
            "Hall A",
            utcnow() + timedelta(days=1),
            utcnow() + timedelta(days=1, hours=2),
        )
        in_a = [e["title"] for e in events.upcoming(connection, events.building_of(odette))]
        in_b = [e["title"] for e in events.upcoming(connection, events.building_of(samia))]
    assert in_a == ["Atelier du hall A", "Fête des voisins"]
    assert in_b == ["Fête des voisins"]


def test_replies_count_people_and_stop_at_the_capacity(engine, neighbours):
    odette, karim, samia = neighbours["Odette"], neighbours["Karim"], neighbours["Samia"]
    with engine.begin() as connection:
        event_id = _party(connection, odette, capacity=5)
        events.reply(connection, karim, event_id, 3)
        with pytest.raises(DomainError) as full:
            events.reply(connection, samia, event_id, 3)
        assert (full.value.code, full.value.params["count"]) == ("event_full", 2)
        events.reply(connection, samia, event_id, 2)
        events.reply(connection, karim, event_id, 1)
        event = events.get(connection, events.building_of(samia), event_id, samia["id"])
    assert (event["coming"], event["places_left"], event["my_people"]) == (3, 2, 2)


def test_attendees_are_told_when_the_organiser_changes_or_cancels(engine, neighbours):
    odette, karim, samia = neighbours["Odette"], neighbours["Karim"], neighbours["Samia"]
    with engine.begin() as connection:
        event_id = _party(connection, odette)
        events.reply(connection, karim, event_id, 2)
        building = events.building_of(odette)
        event = events.get(connection, building, event_id)
        with pytest.raises(Forbidden):
            events.cancel(connection, samia, events.building_of(samia), event_id)
        events.change(
            connection,
            odette,
            building,
            event_id,
            event["title"],
            event["description"],
            "La salle commune",
            event["starts_at"],
            event["ends_at"],
        )
        events.cancel(connection, odette, building, event_id)
        told = notifications.recent(connection, karim["id"])
    assert [(n["kind"], n["detail"]["change"]) for n in told] == [
        ("event_changed", "cancelled"),
        ("event_changed", "changed"),
    ]


def test_a_caretaker_organises_for_their_building_without_a_charter(engine, small_estate):
    with engine.begin() as connection:
        caretaker = people.get_staff(connection, small_estate.staff["gardien"])
        building = {"id": small_estate.building_a, "residence_id": small_estate.residence_id}
        start = utcnow() + timedelta(days=2)
        event_id = events.organise(
            connection,
            caretaker,
            building,
            "building",
            "Tri des encombrants",
            "",
            "Parking",
            start,
            start + timedelta(hours=1),
        )
        assert events.get(connection, building, event_id)["organiser"] == "Gardien"


def test_an_event_in_the_past_or_ending_before_it_starts_is_refused(engine, neighbours):
    odette = neighbours["Odette"]
    with engine.begin() as connection:
        for starts, hours, field in [(-1, 2, "starts_at"), (1, -1, "ends_at"), (1, 200, "ends_at")]:
            start = utcnow() + timedelta(days=starts)
            with pytest.raises(DomainError) as refused:
                events.organise(
                    connection,
                    odette,
                    events.building_of(odette),
                    "building",
                    "Jeux",
                    "",
                    "Hall",
                    start,
                    start + timedelta(hours=hours),
                )
            assert refused.value.field == field


def test_the_calendar_file_escapes_text_folds_lines_and_marks_cancelled_events():
    start = utcnow().replace(microsecond=0)
    event = {
        "id": "e1",
        "title": "Fête; musique, et « grillades »",
        "description": "Ligne 1\nLigne 2 " + "é" * 60,
        "place": "Cour",
        "organiser": "Comité",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "updated_at": start,
        "cancelled_at": start,
    }
    text = calendar_file.calendar([event], "Bâtiment A", start)
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and text.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:Fête\\; musique\\, et « grillades »" in lines
    assert "STATUS:CANCELLED" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "DESCRIPTION:Ligne 1\\nLigne 2 " + "é" * 60 + "\\n\\nComité" in unfolded


def _calendar_of(**fields) -> str:
    start = datetime(2026, 12, 1, 18, 0)
    event = {
        "id": "e1",
        "title": "Fête",
        "description": "",
        "place": "Cour",
        "organiser": "",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "updated_at": start,
        "cancelled_at": None,
        **fields,
    }
    return calendar_file.calendar([event], "Bâtiment A", start)


def test_the_calendar_file_writes_every_line_break_as_an_escape_and_no_control_character():
    text = _calendar_of(title="Fête\x1b[31m", description="Ligne 1\rLigne 2\r\nLigne 3\x00\x0bfin")
    assert "\r" not in text.replace("\r\n", "")
    assert "\n" not in text.replace("\r\n", "")
    assert "\x00" not in text and "\x1b" not in text and "\x0b" not in text
    unfolded = text.replace("\r\n ", "").split("\r\n")
    assert "SUMMARY:Fête[31m" in unfolded
    assert "DESCRIPTION:Ligne 1\\nLigne 2\\nLigne 3\\nfin" in unfolded


def test_the_calendar_file_folds_at_75_octets_inside_neither_a_character_nor_an_escape():
    description = ("é;" * 7 + "\\" + "ع,") * 20
    text = _calendar_of(description=description)
    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    for line in lines:
        escapes = re.search(r"\\*$", line).group()
        assert len(escapes) % 2 == 0, f"an escape is cut at the end of {line!r}"
    unfolded = text.replace("\r\n ", "")
    expected = description.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    assert "DESCRIPTION:" + expected + "\r\n" in unfolded
