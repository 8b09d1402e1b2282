"""What the news, works notices and events say when read aloud, in which languages."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.domain import read_aloud

PARIS = ZoneInfo("Europe/Paris")


def _news(**fields) -> dict:
    return {
        "id": "n1",
        "title": "Fête des voisins",
        "body": "Apportez un plat.",
        "language": "fr",
        "versions": {},
        **fields,
    }


def test_a_news_item_is_read_in_its_language_and_in_each_of_its_versions():
    item = _news(versions={"ar": {"title": "حفلة الجيران", "body": "أحضروا طبقًا."}, "en": {}})
    readings = {r.language: r for r in read_aloud.of_news(item)}
    assert set(readings) == {"fr", "ar"}
    assert readings["fr"].text == "Actualité. Fête des voisins. Apportez un plat."
    assert readings["ar"].text == "خبر. حفلة الجيران. أحضروا طبقًا."
    # The reader's own language, else the original's.
    listed = list(readings.values())
    assert read_aloud.of_item(listed, "news", "n1", "ar").language == "ar"
    assert read_aloud.of_item(listed, "news", "n1", "en").language == "fr"
    assert read_aloud.of_item(listed, "news", "other", "fr") is None


def test_a_reading_s_name_follows_its_words_and_nothing_else():
    first = read_aloud.of_news(_news())[0]
    # Another item saying the same words is the same reading, spoken once.
    assert first.name == read_aloud.of_news(_news(id="n2"))[0].name
    assert first.name != read_aloud.of_news(_news(body="Apportez deux plats."))[0].name
    assert len(first.name) == 32 and int(first.name, 16) >= 0


def test_a_works_notice_says_when_where_and_what_to_do_with_the_days_in_its_language():
    notice = {
        "id": "w1",
        "title": "Coupure d'eau",
        "location": "Bâtiment A",
        "tenant_action": "Remplissez une bouteille.",
        "starts_on": date(2026, 12, 14),
        "ends_on": date(2026, 12, 15),
        "language": "fr",
        "versions": {"en": {"title": "Water cut", "tenant_action": "Fill a bottle."}},
    }
    readings = {r.language: r.text for r in read_aloud.of_works(notice)}
    assert readings["fr"] == (
        "Travaux. Coupure d'eau. Du lundi 14 décembre au mardi 15 décembre. "
        "Où : Bâtiment A. Ce que vous devez faire : Remplissez une bouteille."
    )
    # A field without a version is read as written.
    assert readings["en"] == (
        "Works. Water cut. From Monday 14 December to Tuesday 15 December. "
        "Where: Bâtiment A. What you need to do: Fill a bottle."
    )


def test_an_event_says_what_when_and_where_on_the_building_s_clock_but_not_who_organises():
    event = {
        "id": "e1",
        "title": "Goûter",
        "place": "Cour",
        "description": "Pour les enfants.",
        "organiser": "Odette Martin",
        "starts_at": datetime(2026, 12, 14, 15, 0),
        "ends_at": datetime(2026, 12, 14, 17, 0),
    }
    [reading] = read_aloud.of_event(event, "fr", PARIS)
    assert reading.text == (
        "Événement. Goûter. Le lundi 14 décembre, de 16:00 à 18:00. Où : Cour. Pour les enfants."
    )
    assert "Odette" not in reading.text


def test_an_event_at_the_calendar_s_end_is_still_read():
    event = {
        "id": "e9",
        "title": "Fin",
        "place": "Cour",
        "description": "",
        "starts_at": datetime(9999, 12, 31, 23, 0),
        "ends_at": datetime(9999, 12, 31, 23, 59),
    }
    [reading] = read_aloud.of_event(event, "fr", PARIS)
    assert "Le vendredi 31 décembre, de 23:00 à 23:59." in reading.text
