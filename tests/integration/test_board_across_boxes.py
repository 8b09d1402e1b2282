"""The noticeboard and the events across a residence served by two boxes, and a box
replaced.

A hub and the boxes of buildings A and B, each its own database from the small estate;
their messages are carried by the same code as the box agent and the hub ingest
(``appliance.demo.courier``), without a broker: what is checked here is what each side
does with them. The link's own guarantees are tested over MQTT in ``link/``.
"""

from __future__ import annotations

import io
import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine, func, select

from appliance.demo import courier
from core.domain import (
    access_codes,
    charter,
    erasure,
    events,
    fleet,
    moderation,
    noticeboard,
    notifications,
    outbox,
    people,
    photos,
    side,
)
from core.domain.clock import utcnow
from core.domain.errors import DomainError, NotFound
from core.messages import events as event_messages
from core.secrets import ensure_secrets
from core.storage.engine import make_engine, writing
from core.storage.schema import (
    event_rsvps,
    post_comments,
    post_reactions,
    posts,
    quarantine,
)
from core.storage.schema import events as event_table
from provisioning.enrolment import accept_enrolment, enrol_box
from tests.conftest import PIN
from tests.support.databases import copy_database

BROKER = {"host": "127.0.0.1", "port": 1, "ca_pem": ""}


class Residence:
    """A hub and one box per building of the small estate."""

    def __init__(self, folder: Path, template: Path, secrets_file: Path, estate) -> None:
        self.folder, self.template, self.secrets_file, self.estate = (
            folder,
            template,
            secrets_file,
            estate,
        )
        self.passwords = folder / "passwords"
        self.hub = self._database("hub")
        with writing(self.hub) as connection:
            side.become_hub(connection)
        self.boxes: dict[str, object] = {}
        self.enrol("box-a", estate.building_a)
        self.enrol("box-b", estate.building_b)

    def _database(self, name: str):
        place = self.folder / name
        place.mkdir()
        shutil.copy(self.secrets_file, place / self.secrets_file.name)
        copy_database(self.template, place / "db.sqlite3")
        return make_engine(f"sqlite:///{place / 'db.sqlite3'}")

    def enrol(self, box_id: str, building_id: str) -> None:
        with writing(self.hub) as connection:
            enrolment = enrol_box(connection, self.passwords, box_id, box_id, [building_id], BROKER)
        box = self._database(box_id)
        with writing(box) as connection:
            accept_enrolment(connection, self.folder / box_id, enrolment)
        self.boxes[box_id] = box
        self.deliver()

    def replace(self, box_id: str, new_box_id: str, building_id: str) -> Engine:
        """Retire a box at the hub and enrol a new one for its building; return the new
        box's database."""
        self.boxes.pop(box_id).dispose()
        with writing(self.hub) as connection:
            fleet.retire(connection, box_id)
        self.enrol(new_box_id, building_id)
        return self.boxes[new_box_id]

    def deliver(self) -> None:
        courier.deliver_all(self.hub, self.boxes)

    def resident(self, box_id: str, reference: str, name: str) -> dict:
        pepper = ensure_secrets(self.folder / box_id)["access_code_pepper"]
        with writing(self.boxes[box_id]) as connection:
            code = access_codes.find(connection, pepper, self.estate.codes[reference])
            profile_id = people.create_profile(
                connection, code["id"], self.estate.dwellings[reference], name, "fr", PIN, PIN
            )
            charter.accept(connection, profile_id)
            return people.get_profile(connection, profile_id)

    def titles(self, engine) -> set[str]:
        with engine.connect() as connection:
            return set(connection.execute(select(posts.c.title)).scalars())

    def dispose(self) -> None:
        for engine in (self.hub, *self.boxes.values()):
            engine.dispose()


@pytest.fixture
def residence(tmp_path, _estate_template, box_secrets):
    template, estate = _estate_template
    place = Residence(tmp_path, template, box_secrets, estate)
    yield place
    place.dispose()


def _photo(connection) -> str:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 60, 20)).save(out, "PNG")
    return photos.store(connection, *photos.reencode(out.getvalue(), 800, 8 << 20))


def _count(engine, table, *where) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table).where(*where)).scalar()


def test_a_residence_post_reaches_the_other_box_and_its_answers_come_back(residence):
    odette = residence.resident("box-a", "A-01", "Odette")
    samia = residence.resident("box-b", "B-01", "Samia")
    box_a, box_b = residence.boxes["box-a"], residence.boxes["box-b"]
    with writing(box_a) as connection:
        picture = _photo(connection)
        party = noticeboard.publish(
            connection, odette, "parties", "residence", "Fête des voisins", "Samedi", picture
        )
        noticeboard.publish(connection, odette, "lost_found", "building", "Clés", "Hall A")
    residence.deliver()
    assert residence.titles(box_b) == {"Fête des voisins"}
    assert residence.titles(residence.hub) == {"Fête des voisins", "Clés"}
    with writing(box_b) as connection:
        seen = noticeboard.get(connection, samia, party)
        assert seen["author_name"] == "Odette" and seen["photo_id"] == picture
        assert photos.load(connection, picture) is not None
        noticeboard.comment(connection, samia, party, "Je viens avec un gâteau !")
        noticeboard.thank(connection, samia, party)
    residence.deliver()
    with writing(box_a) as connection:
        post = noticeboard.get(connection, odette, party)
    assert [c["body"] for c in post["comments"]] == ["Je viens avec un gâteau !"]
    assert post["comments"][0]["author_name"] == "Samia"
    assert post["thanks_count"] == 1
    for engine in (residence.hub, box_a, box_b):
        assert _count(engine, post_comments) == 1
        assert _count(engine, post_reactions) == 1


def test_hiding_or_taking_down_on_its_box_follows_on_the_other(residence):
    odette = residence.resident("box-a", "A-01", "Odette")
    samia = residence.resident("box-b", "B-01", "Samia")
    box_a, box_b = residence.boxes["box-a"], residence.boxes["box-b"]
    with writing(box_a) as connection:
        sale = noticeboard.publish(connection, odette, "giving", "residence", "Canapé", "50 €")
        party = noticeboard.publish(connection, odette, "parties", "residence", "Fête", "Samedi")
    residence.deliver()
    with writing(box_a) as connection:
        caretaker = people.get_staff(connection, residence.estate.staff["gardien"])
        moderation.decide(connection, caretaker, "post", sale, "hide", "Pas de ventes ici.")
        noticeboard.remove(connection, odette, party)
    residence.deliver()
    with box_b.connect() as connection:
        with pytest.raises(NotFound):
            noticeboard.get(connection, samia, sale)
        assert noticeboard.board(connection, samia).items == []
    assert residence.titles(box_b) == {"Canapé"}
    assert residence.titles(residence.hub) == {"Canapé"}


def test_a_post_put_back_on_its_box_shows_again_on_the_other(residence):
    odette = residence.resident("box-a", "A-01", "Odette")
    samia = residence.resident("box-b", "B-01", "Samia")
    box_a, box_b = residence.boxes["box-a"], residence.boxes["box-b"]
    with writing(box_a) as connection:
        party = noticeboard.publish(connection, odette, "parties", "residence", "Fête", "Samedi")
    residence.deliver()
    with writing(box_a) as connection:
        caretaker = people.get_staff(connection, residence.estate.staff["gardien"])
        moderation.decide(connection, caretaker, "post", party, "hide", "À vérifier.")
    residence.deliver()
    with box_b.connect() as connection:
        assert noticeboard.board(connection, samia).items == []
    with writing(box_a) as connection:
        moderation.decide(connection, caretaker, "post", party, "restore", "C'est bon.")
    residence.deliver()
    with box_b.connect() as connection:
        assert [item["title"] for item in noticeboard.board(connection, samia).items] == ["Fête"]


def test_a_replaced_box_gets_its_noticeboard_back_from_the_hub(residence):
    odette = residence.resident("box-a", "A-01", "Odette")
    samia = residence.resident("box-b", "B-01", "Samia")
    with writing(residence.boxes["box-a"]) as connection:
        recipe = noticeboard.publish(connection, odette, "recipes", "building", "Tajine", "…")
        noticeboard.publish(connection, odette, "parties", "residence", "Fête", "Samedi")
    with writing(residence.boxes["box-b"]) as connection:
        noticeboard.publish(connection, samia, "giving", "residence", "Vélo", "À donner")
    residence.deliver()
    with writing(residence.boxes["box-a"]) as connection:
        noticeboard.comment(connection, odette, recipe, "Avec des olives")
    residence.deliver()

    new_box = residence.replace("box-a", "box-a2", residence.estate.building_a)
    assert residence.titles(new_box) == {"Tajine", "Fête", "Vélo"}
    assert _count(new_box, post_comments) == 1


def test_an_erased_profile_kept_anonymously_loses_its_name_everywhere(residence):
    odette = residence.resident("box-a", "A-01", "Odette")
    residence.resident("box-b", "B-01", "Samia")
    with writing(residence.boxes["box-a"]) as connection:
        noticeboard.publish(connection, odette, "parties", "residence", "Fête", "Samedi")
    residence.deliver()
    with writing(residence.boxes["box-a"]) as connection:
        erasure.erase(connection, odette["id"], "keep_anonymously")
    residence.deliver()
    for engine in (residence.hub, *residence.boxes.values()):
        with engine.connect() as connection:
            names = set(connection.execute(select(posts.c.author_name)).scalars())
        assert names == {None}


def _organise(residence, box_id: str, organiser: dict, scope: str, title: str, **more) -> str:
    starts = utcnow().replace(microsecond=0) + timedelta(days=3)
    with writing(residence.boxes[box_id]) as connection:
        return events.organise(
            connection,
            organiser,
            events.building_of(organiser),
            scope,
            title,
            "",
            more.pop("place", "Cour"),
            starts,
            starts + timedelta(hours=3),
            **more,
        )


def _event(engine, resident: dict, event_id: str) -> dict:
    with engine.connect() as connection:
        return events.get(connection, events.building_of(resident), event_id, resident["id"])


def _upcoming_titles(engine, resident: dict) -> list[str]:
    with engine.connect() as connection:
        return [
            e["title"]
            for e in events.upcoming(connection, events.building_of(resident), resident["id"])
        ]


def _told(engine, resident: dict) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return [
            (n["kind"], n["detail"]["change"])
            for n in notifications.recent(connection, resident["id"])
            if n["kind"] == "event_changed"
        ]


def test_a_residence_event_reaches_the_other_box_and_replies_count_on_both(residence):
    odette = residence.resident("box-a", "A-01", "Odette")
    samia = residence.resident("box-b", "B-01", "Samia")
    box_a, box_b = residence.boxes["box-a"], residence.boxes["box-b"]
    party = _organise(residence, "box-a", odette, "residence", "Fête des voisins", capacity=6)
    _organise(residence, "box-a", odette, "building", "Réunion du hall A")
    residence.deliver()
    assert _upcoming_titles(box_b, samia) == ["Fête des voisins"]
    with residence.hub.connect() as connection:
        assert set(connection.execute(select(event_table.c.title)).scalars()) == {
            "Fête des voisins",
            "Réunion du hall A",
        }
    seen = _event(box_b, samia, party)
    assert seen["organiser"] == "Odette" and seen["places_left"] == 6

    with writing(box_b) as connection:
        events.reply(connection, samia, party, 3)
    residence.deliver()
    with writing(box_a) as connection:
        assert events.get(connection, events.building_of(odette), party)["coming"] == 3
        events.reply(connection, odette, party, 2)
    residence.deliver()
    seen = _event(box_b, samia, party)
    assert (seen["coming"], seen["my_people"], seen["places_left"]) == (5, 3, 1)
    with writing(box_b) as connection, pytest.raises(DomainError) as full:
        events.reply(connection, samia, party, 5)
    assert full.value.code == "event_full"

    event = _event(box_a, odette, party)
    with writing(box_a) as connection:
        events.change(
            connection,
            odette,
            events.building_of(odette),
            party,
            event["title"],
            "",
            "Salle commune",
            event["starts_at"],
            event["ends_at"],
            event["capacity"],
        )
    residence.deliver()
    assert _event(box_b, samia, party)["place"] == "Salle commune"
    assert _told(box_b, samia) == [("event_changed", "changed")]
    assert _told(box_a, odette) == []

    with writing(box_b) as connection:
        events.withdraw_reply(connection, samia, party)
    residence.deliver()
    assert _event(box_a, odette, party)["coming"] == 2
    with writing(box_a) as connection:
        events.cancel(connection, odette, events.building_of(odette), party)
    residence.deliver()
    assert _event(box_b, samia, party)["cancelled_at"] is not None
    # Samia no longer came: only who still comes is told of the cancellation.
    assert _told(box_b, samia) == [("event_changed", "changed")]


def test_replies_of_an_erased_profile_are_withdrawn_everywhere(residence):
    odette = residence.resident("box-a", "A-01", "Odette")
    samia = residence.resident("box-b", "B-01", "Samia")
    party = _organise(residence, "box-a", odette, "residence", "Fête des voisins")
    residence.deliver()
    with writing(residence.boxes["box-b"]) as connection:
        events.reply(connection, samia, party, 4)
    residence.deliver()
    with writing(residence.boxes["box-b"]) as connection:
        erasure.erase(connection, samia["id"], "delete")
    with writing(residence.boxes["box-a"]) as connection:
        erasure.erase(connection, odette["id"], "keep_anonymously")
    residence.deliver()
    for engine in (residence.hub, *residence.boxes.values()):
        assert _count(engine, event_rsvps) == 0
        with engine.connect() as connection:
            assert connection.execute(select(event_table.c.organiser)).scalar_one() == "—"


def test_a_replaced_box_gets_its_events_and_their_replies_back(residence):
    odette = residence.resident("box-a", "A-01", "Odette")
    samia = residence.resident("box-b", "B-01", "Samia")
    meeting = _organise(residence, "box-a", odette, "building", "Réunion du hall A")
    party = _organise(residence, "box-b", samia, "residence", "Fête des voisins")
    residence.deliver()
    with writing(residence.boxes["box-a"]) as connection:
        events.reply(connection, odette, meeting, 2)
        events.reply(connection, odette, party, 1)
    with writing(residence.boxes["box-b"]) as connection:
        events.reply(connection, samia, party, 3)
    residence.deliver()

    new_box = residence.replace("box-a", "box-a2", residence.estate.building_a)
    with new_box.connect() as connection:
        building_a = {"id": residence.estate.building_a, "residence_id": odette["residence_id"]}
        coming = {e["title"]: e["coming"] for e in events.upcoming(connection, building_a)}
    assert coming == {"Réunion du hall A": 2, "Fête des voisins": 4}


def _forge(residence, box_id: str, kind: str, body: dict) -> None:
    """Have a box send the hub a message its own code would never write."""
    with writing(residence.boxes[box_id]) as connection:
        outbox.tell_hub(connection, kind, json.loads(json.dumps(body, default=str)))


def test_a_box_cannot_change_what_another_box_published_or_said(residence):
    odette = residence.resident("box-a", "A-01", "Odette")
    residence.resident("box-b", "B-01", "Samia")
    party = _organise(residence, "box-a", odette, "residence", "Fête des voisins")
    with writing(residence.boxes["box-a"]) as connection:
        post = noticeboard.publish(connection, odette, "parties", "residence", "Fête", "Samedi")
        noticeboard.comment(connection, odette, post, "Venez nombreux")
        events.reply(connection, odette, party, 2)
    residence.deliver()
    with residence.hub.connect() as connection:
        published = event_messages.event_body(connection, party).model_dump()
        comment_id = connection.execute(select(post_comments.c.id)).scalar_one()
    building_b = residence.estate.building_b

    hijacked = {**published["event"], "building_id": building_b, "title": "Annulé"}
    _forge(residence, "box-b", "event.published", {"event": hijacked})
    elsewhere = {**published["event"], "id": "e" * 32, "building_id": building_b}
    elsewhere["residence_id"] = "r" * 32
    _forge(residence, "box-b", "event.published", {"event": elsewhere})
    _forge(
        residence,
        "box-b",
        "event.replied",
        {"event_id": party, "profile_id": odette["id"], "people": 0, "at": utcnow()},
    )
    _forge(
        residence,
        "box-b",
        "post.commented",
        {
            "comment": {
                "id": comment_id,
                "post_id": post,
                "author_name": "Odette",
                "body": "Fête annulée",
                "created_at": utcnow(),
            }
        },
    )
    residence.deliver()

    for engine in (residence.hub, *residence.boxes.values()):
        with engine.connect() as connection:
            assert connection.execute(select(event_table.c.title)).scalars().all() == [
                "Fête des voisins"
            ]
            assert connection.execute(select(post_comments.c.body)).scalar_one() == (
                "Venez nombreux"
            )
        assert _count(engine, event_rsvps) == 1
    with residence.hub.connect() as connection:
        reasons = connection.execute(select(quarantine.c.reason)).scalars().all()
    assert len(reasons) == 4
    assert any("not in residence" in reason for reason in reasons)
    assert any("another box" in reason for reason in reasons)
