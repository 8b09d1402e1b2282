"""A tenant downloads all their data and erases their profile; unused profiles are
warned, then anonymised."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select, update

from core.domain import (
    conversations,
    erasure,
    events,
    my_data,
    noticeboard,
    notifications,
    people,
    photos,
    skills,
)
from core.domain.clock import utcnow
from core.domain.errors import DomainError
from core.storage.schema import post_comments, posts, profiles


def _photo(connection) -> str:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 60)).save(out, "PNG")
    return photos.store(connection, *photos.reencode(out.getvalue(), 800, 8 << 20))


def test_the_archive_holds_what_i_wrote_my_messages_and_my_photos(engine, neighbours):
    odette, karim = neighbours["Odette"], neighbours["Karim"]
    with engine.begin() as connection:
        picture = _photo(connection)
        noticeboard.publish(connection, odette, "recipes", "building", "Tajine", "Recette", picture)
        conversations.write(connection, karim, odette["id"], "Bonjour Odette")
        skills.add(connection, odette, "request", "computer", "Mon téléphone", "Aide")
        archive = my_data.archive(connection, odette)
    zipped = zipfile.ZipFile(io.BytesIO(archive))
    data = json.loads(zipped.read("my-data.json"))
    assert data["profile"]["display_name"] == "Odette"
    assert "pin_hash" not in data["profile"]
    assert [p["title"] for p in data["posts"]] == ["Tajine"]
    assert [m["body"] for m in data["private_messages"]] == ["Bonjour Odette"]
    assert [s["title"] for s in data["offers_and_requests_of_help"]] == ["Mon téléphone"]
    assert f"photos/{picture}.jpg" in zipped.namelist()


def test_erasing_and_keeping_leaves_posts_without_a_name_and_signs_the_profile_out(
    engine, neighbours
):
    odette, karim = neighbours["Odette"], neighbours["Karim"]
    with engine.begin() as connection:
        post_id = noticeboard.publish(connection, odette, "giving", "building", "Table", "…")
        noticeboard.comment(connection, karim, post_id, "Je la prends")
        erasure.erase(connection, odette["id"], "keep_anonymously")
        post = connection.execute(select(posts).where(posts.c.id == post_id)).mappings().one()
        assert (post["author_profile_id"], post["author_name"]) == (None, None)
        assert people.get_profile(connection, odette["id"]) is None
        row = connection.execute(select(profiles).where(profiles.c.id == odette["id"])).one()
        assert row.display_name == "—" and row.erased_at is not None
        assert [p["title"] for p in noticeboard.board(connection, karim).items] == ["Table"]


def test_erasing_and_deleting_takes_the_posts_and_their_answers_away(engine, neighbours):
    odette, karim = neighbours["Odette"], neighbours["Karim"]
    with engine.begin() as connection:
        post_id = noticeboard.publish(connection, odette, "giving", "building", "Table", "…")
        noticeboard.comment(connection, karim, post_id, "Je la prends")
        start = utcnow() + timedelta(days=1)
        events.organise(
            connection,
            odette,
            events.building_of(odette),
            "building",
            "Goûter",
            "",
            "Hall",
            start,
            start + timedelta(hours=2),
        )
        with pytest.raises(DomainError):
            erasure.erase(connection, odette["id"], "")
        erasure.erase(connection, odette["id"], "delete")
        assert noticeboard.board(connection, karim).items == []
        assert connection.execute(select(post_comments)).first() is None
        left = events.upcoming(connection, events.building_of(karim))
    assert [(e["title"], e["organiser"]) for e in left] == [("Goûter", "—")]


def test_an_unused_profile_is_warned_then_anonymised_unless_its_owner_comes_back(
    engine, neighbours
):
    odette, karim = neighbours["Odette"], neighbours["Karim"]
    long_ago = utcnow() - timedelta(days=800)
    with engine.begin() as connection:
        connection.execute(update(profiles).values(last_seen_at=long_ago))
        assert erasure.tidy_unused(connection, 730, 30) == (3, 0)
        assert [n["kind"] for n in notifications.recent(connection, odette["id"])] == ["inactive"]
        erasure.seen(connection, karim)
        later = utcnow() + timedelta(days=31)
        assert erasure.tidy_unused(connection, 730, 30, now=later) == (0, 2)
        assert people.get_profile(connection, karim["id"]) is not None
        assert people.get_profile(connection, odette["id"]) is None
        assert erasure.tidy_unused(connection, 0, 30, now=later) == (0, 0)
