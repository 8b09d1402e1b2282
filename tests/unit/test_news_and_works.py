"""News and works reach the buildings in their scope until they end; then the box forgets them."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from core.domain import estate, expired, news, photos, works
from core.domain.errors import DomainError
from core.storage.schema import news as news_table
from core.storage.schema import photos as photo_table
from core.storage.schema import works_notices

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
                "building",
                small_estate.building_a,
                title,
                "Hall",
                today + timedelta(days=start),
                today + timedelta(days=end),
            )
        works.announce(
            connection, "building", small_estate.building_b, "Ailleurs", "Hall", today, today
        )
        building_a = estate.get_building(connection, small_estate.building_a)
        current = works.current_for_building(connection, building_a, today=today)
    assert [w["title"] for w in current] == ["Ascenseur", "Eau", "Peinture"]


def test_works_cannot_end_before_they_start(engine, small_estate):
    with engine.begin() as connection, pytest.raises(DomainError) as caught:
        works.announce(
            connection,
            "building",
            small_estate.building_a,
            "Toiture",
            "Toit",
            date(2026, 12, 2),
            date(2026, 12, 1),
        )
    assert caught.value.field == "ends_on"


def test_news_and_works_by_staff_are_in_the_audit_log(engine, small_estate):
    from core.domain import audit

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
            "building",
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
    assert entries[0]["detail"]["scope"] == "building"
    assert entries[1]["detail"]["publisher"] == "Mairie 15e"


def test_works_reach_every_building_of_their_scope_and_no_other(engine, small_estate):
    today = date(2026, 11, 23)
    with engine.begin() as connection:
        building_a = estate.get_building(connection, small_estate.building_a)
        building_b = estate.get_building(connection, small_estate.building_b)
        for kind, ref, title in [
            ("building", small_estate.building_b, "Toiture de B"),
            ("residence", small_estate.residence_id, "Espaces verts"),
            ("district", building_a["district"], "Chaussée"),
            ("district", "Belsunce", "Ailleurs"),
            ("city", building_a["city"], "Eau de la ville"),
        ]:
            works.announce(connection, kind, ref, title, "Rue", today, today)
        seen = {
            name: {w["title"] for w in works.current_for_building(connection, b, today=today)}
            for name, b in (("A", building_a), ("B", building_b))
        }
    assert seen == {
        "A": {"Espaces verts", "Chaussée", "Eau de la ville"},
        "B": {"Toiture de B", "Espaces verts", "Chaussée", "Eau de la ville"},
    }


def test_works_without_a_place_to_reach_are_refused(engine, small_estate):
    with engine.begin() as connection, pytest.raises(DomainError) as caught:
        works.announce(connection, "galaxy", "x", "Toiture", "Toit", NOW.date(), NOW.date())
    assert (caught.value.code, caught.value.field) == ("scope_unknown", "scope")


def test_what_has_ended_is_forgotten_with_its_picture_and_the_rest_kept(engine, small_estate):
    old = NOW - timedelta(days=30)
    with engine.begin() as connection:
        picture = photos.store(connection, b"\xff\xd8jpeg", 10, 10)
        connection.execute(photo_table.update().values(created_at=old))
        news.publish(
            connection,
            small_estate.publishers["town_hall"],
            "Fini",
            "Texte",
            "city",
            "Marseille",
            expires_at=NOW - timedelta(minutes=1),
            photo_id=picture,
            published_at=old,
        )
        _publish(connection, small_estate, "city", "Marseille", "En cours", lasts=30)
        _publish(connection, small_estate, "city", "Marseille", "Sans fin")
        works.announce(
            connection,
            "building",
            small_estate.building_a,
            "Finis",
            "Hall",
            NOW.date() - timedelta(days=3),
            NOW.date() - timedelta(days=1),
        )
        works.announce(
            connection,
            "building",
            small_estate.building_a,
            "Aujourd'hui",
            "Hall",
            NOW.date(),
            NOW.date(),
        )
        assert expired.forget(connection, now=NOW) == 2
        left_news = set(connection.execute(select(news_table.c.title)).scalars())
        left_works = set(connection.execute(select(works_notices.c.title)).scalars())
        left_photos = list(connection.execute(select(photo_table.c.id)).scalars())
    assert left_news == {"En cours", "Sans fin"}
    assert left_works == {"Aujourd'hui"}
    assert left_photos == []
