"""News reach the buildings in their scope until they expire; works show while current."""

from datetime import date, datetime, timedelta

import pytest

from appliance.domain import estate, news, works
from appliance.domain.errors import DomainError

NOW = datetime(2026, 11, 23, 12, 0)


def _publish(connection, place, scope_kind, scope_ref, title, days_ago=1, lasts=None):
    published = NOW - timedelta(days=days_ago)
    return news.publish(
        connection,
        place.publishers["town_hall"],
        title,
        "Texte",
        scope_kind,
        scope_ref,
        expires_at=published + timedelta(days=lasts) if lasts else None,
        published_at=published,
    )


def test_each_building_sees_exactly_the_news_in_its_scope(engine, small_estate):
    with engine.begin() as connection:
        _publish(connection, small_estate, "building", small_estate.building_a, "Pour A")
        _publish(connection, small_estate, "building", small_estate.building_b, "Pour B")
        _publish(connection, small_estate, "residence", small_estate.residence_id, "Résidence")
        _publish(connection, small_estate, "district", "La Viste", "Quartier")
        _publish(connection, small_estate, "district", "Saint-Henri", "Autre quartier")
        _publish(connection, small_estate, "city", "Marseille", "Ville")
        _publish(connection, small_estate, "city", "Lyon", "Autre ville")
        building_a = estate.get_building(connection, small_estate.building_a)
        titles = {item["title"] for item in news.for_building(connection, building_a, now=NOW)}
    assert titles == {"Pour A", "Résidence", "Quartier", "Ville"}


def test_news_are_newest_first_and_expired_ones_disappear(engine, small_estate):
    with engine.begin() as connection:
        _publish(connection, small_estate, "city", "Marseille", "Ancienne", days_ago=5)
        _publish(connection, small_estate, "city", "Marseille", "Récente", days_ago=1)
        _publish(connection, small_estate, "city", "Marseille", "Expirée", days_ago=10, lasts=3)
        building = estate.get_building(connection, small_estate.building_a)
        items = news.for_building(connection, building, now=NOW)
    assert [item["title"] for item in items] == ["Récente", "Ancienne"]
    assert items[0]["publisher_name"] == "Mairie 15e"
    assert items[0]["publisher_kind"] == "town_hall"


def test_news_need_a_title_a_text_and_an_expiry_after_publication(engine, small_estate):
    with engine.begin() as connection:
        publisher = small_estate.publishers["landlord"]
        for title, body, expires, field in [
            ("", "Texte", None, "title"),
            ("Titre", "  ", None, "body"),
            ("Titre", "Texte", NOW - timedelta(days=1), "expires_at"),
        ]:
            with pytest.raises(DomainError) as caught:
                news.publish(
                    connection,
                    publisher,
                    title,
                    body,
                    "city",
                    "Marseille",
                    expires_at=expires,
                    published_at=NOW,
                )
            assert caught.value.field == field


def test_works_show_until_their_last_day_soonest_first(engine, small_estate):
    today = date(2026, 11, 23)
    with engine.begin() as connection:
        for title, start, end in [
            ("Finis", -10, -1),
            ("Ascenseur", -2, 5),
            ("Peinture", 3, 4),
            ("Eau", 0, 0),
        ]:
            works.announce(
                connection,
                small_estate.building_a,
                title,
                "Hall",
                today + timedelta(days=start),
                today + timedelta(days=end),
            )
        works.announce(connection, small_estate.building_b, "Ailleurs", "Hall", today, today)
        current = works.current_for_building(connection, small_estate.building_a, today=today)
    assert [w["title"] for w in current] == ["Ascenseur", "Eau", "Peinture"]


def test_works_cannot_end_before_they_start(engine, small_estate):
    with engine.begin() as connection, pytest.raises(DomainError) as caught:
        works.announce(
            connection,
            small_estate.building_a,
            "Toiture",
            "Toit",
            date(2026, 12, 2),
            date(2026, 12, 1),
        )
    assert caught.value.field == "ends_on"


def test_news_and_works_by_staff_are_in_the_audit_log(engine, small_estate):
    from appliance.domain import audit

    author = small_estate.staff["mairie"]
    with engine.begin() as connection:
        news.publish(
            connection,
            small_estate.publishers["town_hall"],
            "Marché",
            "Samedi.",
            "city",
            "Marseille",
            author_staff_id=author,
        )
        works.announce(
            connection,
            small_estate.building_a,
            "Toiture",
            "Toit",
            date(2026, 12, 1),
            date(2026, 12, 2),
            author_staff_id=author,
        )
        entries = audit.recent(connection)
    assert [(e["action"], e["actor_staff_id"]) for e in entries[:2]] == [
        ("works.announce", author),
        ("news.publish", author),
    ]
    assert entries[0]["detail"]["building"] == "Bâtiment A"
    assert entries[1]["detail"]["publisher"] == "Mairie 15e"
