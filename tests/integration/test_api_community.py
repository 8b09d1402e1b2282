"""Neighbours through the API: the noticeboard, messages, flags, events, skills, help,
notifications, and my own data — each sees what is theirs to see, nothing of a flat."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, time, timedelta

from sqlalchemy import func, select, update

from core.domain import noticeboard
from core.domain.clock import utcnow
from core.storage.schema import photos, profiles
from tests.support.api_client import PREFIX, Api, is_problem, png, put_on_board


def _evening(days: int = 3) -> datetime:
    return datetime.combine(utcnow().date() + timedelta(days=days), time(17))


def organise(api: Api, **fields):
    """Organise a building event three days from now, from 17:00 to 20:00 UTC."""
    starts = _evening()
    return api.post(
        "/events",
        {
            "scope": "building",
            "title": "Fête des voisins",
            "place": "La cour",
            "starts_at": starts.isoformat() + "Z",
            "ends_at": (starts + timedelta(hours=3)).isoformat() + "Z",
            "accept_charter": True,
            **fields,
        },
    )


def test_a_first_post_asks_for_the_charter_then_keeps_it(tenant_of):
    odette = tenant_of("A-01")
    assert odette.get("/me").get_json()["charter_accepted"] is False
    refused = put_on_board(odette, accept_charter=None)
    assert is_problem(refused, 422, "charter_needed")
    assert refused.get_json()["field"] == "charter"
    assert put_on_board(odette).status_code == 201
    assert odette.get("/me").get_json()["charter_accepted"] is True
    assert put_on_board(odette, accept_charter="no").status_code == 201


def test_a_post_with_a_photo_is_seen_by_a_neighbour_and_not_by_the_other_building(tenant_of):
    odette, karim, bruno = tenant_of("A-01"), tenant_of("A-02", "Karim"), tenant_of("B-01")
    published = put_on_board(odette, png())
    assert published.status_code == 201
    created = published.get_json()
    assert published.headers["Location"].endswith(f"{PREFIX}/board/{created['id']}")
    assert created["mine"] and created["author"]["display_name"] == "Odette"

    seen = karim.get("/board").get_json()["posts"]
    assert [p["id"] for p in seen] == [created["id"]]
    assert seen[0]["mine"] is False and seen[0]["photo"]["id"] == created["photo"]["id"]
    assert karim.client.get(seen[0]["photo"]["url"]).mimetype == "image/jpeg"
    assert bruno.get("/board").get_json()["posts"] == []
    assert is_problem(bruno.get(f"/board/{created['id']}"), 404, "post_not_found")
    assert bruno.client.get(created["photo"]["url"]).status_code == 404

    assert karim.get("/board", query_string={"category": "giving"}).get_json()["posts"] == []
    assert is_problem(karim.get("/board", query_string={"category": "cars"}), 422)


def test_a_post_refused_keeps_nothing_of_its_photo(tenant_of, engine):
    refused = put_on_board(tenant_of("A-01"), png(), title="")
    assert is_problem(refused, 422, "title_missing")
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(photos)).scalar_one() == 0


def test_an_answer_tells_the_author_who_marks_it_read(tenant_of):
    odette, karim = tenant_of("A-01"), tenant_of("A-02", "Karim")
    created = put_on_board(odette).get_json()
    answered = karim.post(
        f"/board/{created['id']}/comments", {"body": "Merci, je teste !", "accept_charter": True}
    )
    assert answered.status_code == 200
    assert [c["body"] for c in answered.get_json()["comments"]] == ["Merci, je teste !"]
    assert answered.get_json()["comment_count"] == 1

    told = odette.get("/notifications").get_json()
    assert told["unread_count"] == 1
    [notice] = told["notifications"]
    assert notice["kind"] == "post_comment" and notice["subject_id"] == created["id"]
    assert notice["detail"] == {"title": "Tajine aux olives", "name": "Karim"}
    assert notice["read"] is False
    # Listing changes nothing: the client says when it has shown them.
    assert odette.get("/notifications").get_json()["unread_count"] == 1
    read = odette.post("/notifications/read").get_json()
    assert read["unread_count"] == 0 and read["notifications"][0]["read"] is True


def test_thanks_toggle_and_only_the_author_takes_a_post_down(tenant_of):
    odette, karim = tenant_of("A-01"), tenant_of("A-02", "Karim")
    created = put_on_board(odette).get_json()
    thanked = karim.post(f"/board/{created['id']}/thanks").get_json()
    assert thanked["thanked"] is True and thanked["thanks_count"] == 1
    taken_back = karim.post(f"/board/{created['id']}/thanks").get_json()
    assert taken_back["thanked"] is False and taken_back["thanks_count"] == 0
    assert is_problem(karim.delete(f"/board/{created['id']}"), 404, "post_not_found")
    assert odette.delete(f"/board/{created['id']}").status_code == 204
    assert karim.get("/board").get_json()["posts"] == []


def test_three_homes_flag_a_post_and_it_is_hidden_but_from_its_author(tenant_of):
    odette = tenant_of("A-01")
    created = put_on_board(odette, scope="residence").get_json()
    flaggers = [tenant_of("A-02", "Karim"), tenant_of("A-03", "Lina"), tenant_of("B-01")]
    flag = {"kind": "post", "target_id": created["id"], "reason": "rude", "note": "Insulte."}
    answers = [api.post("/flags", flag).get_json() for api in flaggers]
    assert answers == [{"hidden": False}, {"hidden": False}, {"hidden": True}]
    assert flaggers[0].get("/board").get_json()["posts"] == []
    [mine] = odette.get("/board").get_json()["posts"]
    assert mine["hidden_by"] == "flags"
    kinds = [n["kind"] for n in odette.get("/notifications").get_json()["notifications"]]
    assert kinds == ["moderation"]
    assert is_problem(odette.post("/flags", flag), 422, "flag_own")
    wrong = flaggers[0].post("/flags", {**flag, "reason": "boring"})
    assert is_problem(wrong, 422, "reason_unknown")
    assert is_problem(flaggers[0].post("/flags", {**flag, "kind": "car"}), 404)


def test_a_message_shows_no_flat_and_a_blocked_person_is_refused(tenant_of, engine):
    odette, karim = tenant_of("A-01"), tenant_of("A-02", "Karim")
    odette_id = put_on_board(odette).get_json()["author"]["id"]
    written = karim.post(
        "/conversations", {"to": odette_id, "body": "Bonjour, merci !", "accept_charter": True}
    )
    assert written.status_code == 201
    conversation = written.get_json()
    assert conversation["other"] == {"id": odette_id, "display_name": "Odette", "contact": None}

    [listed] = odette.get("/conversations").get_json()["conversations"]
    assert listed["unread"] is True and listed["other"]["display_name"] == "Karim"
    thread = odette.get(f"/conversations/{conversation['id']}")
    assert "A-02" not in thread.get_data(as_text=True)
    assert [m["mine"] for m in thread.get_json()["messages"]] == [False]
    assert odette.get("/conversations").get_json()["conversations"][0]["unread"] is False

    with engine.begin() as connection:
        connection.execute(
            update(profiles).where(profiles.c.id == odette_id).values(contact="06 12 34 56 78")
        )
    shown = karim.get(f"/conversations/{conversation['id']}").get_json()
    assert shown["other"]["contact"] == "06 12 34 56 78"

    karim_id = thread.get_json()["other"]["id"]
    assert odette.post(f"/people/{karim_id}/block").status_code == 204
    refused = karim.post(f"/conversations/{conversation['id']}/messages", {"body": "Allô ?"})
    assert is_problem(refused, 422, "blocked")
    assert is_problem(karim.post("/conversations", {"to": odette_id, "body": "Allô ?"}), 422)
    assert karim.get(f"/conversations/{conversation['id']}").get_json()["can_write"] is False
    assert odette.delete(f"/people/{karim_id}/block").status_code == 204
    again = karim.post(f"/conversations/{conversation['id']}/messages", {"body": "Allô ?"})
    assert [m["body"] for m in again.get_json()["messages"]] == ["Bonjour, merci !", "Allô ?"]


def test_an_event_reply_beyond_its_places_is_refused_with_the_field(tenant_of):
    odette, karim, lina = tenant_of("A-01"), tenant_of("A-02", "Karim"), tenant_of("A-03")
    organised = organise(odette, capacity=4, organiser="Comité des fêtes")
    assert organised.status_code == 201
    event = organised.get_json()
    assert event["organiser"]["display_name"] == "Comité des fêtes" and event["mine"] is True
    assert event["starts_at"] == _evening().isoformat() + "Z"

    came = karim.post(f"/events/{event['id']}/reply", {"people": 3}).get_json()
    assert came["coming"] == 3 and came["places_left"] == 1 and came["my_people"] == 3
    full = lina.post(f"/events/{event['id']}/reply", {"people": 2})
    assert is_problem(full, 422, "event_full")
    assert full.get_json()["field"] == "people"
    assert is_problem(lina.post(f"/events/{event['id']}/reply", {}), 422, "people_range")
    withdrawn = karim.delete(f"/events/{event['id']}/reply").get_json()
    assert withdrawn["coming"] == 0 and withdrawn["my_people"] is None
    assert lina.post(f"/events/{event['id']}/reply", {"people": 2}).status_code == 200

    assert is_problem(karim.post(f"/events/{event['id']}/cancel"), 403, "not_organiser")
    cancelled = odette.post(f"/events/{event['id']}/cancel").get_json()
    assert cancelled["cancelled_at"] is not None
    told = lina.get("/notifications").get_json()["notifications"]
    assert [(n["kind"], n["detail"]["change"]) for n in told] == [("event_changed", "cancelled")]


def test_an_event_needs_its_times_and_reads_a_zone(tenant_of):
    odette = tenant_of("A-01")
    missing = organise(odette, starts_at=None)
    assert is_problem(missing, 422, "starts_at_missing")
    assert missing.get_json()["field"] == "starts_at"
    assert is_problem(organise(odette, ends_at="demain"), 422, "field_type")
    starts = _evening()
    zoned = organise(
        odette,
        starts_at=(starts + timedelta(hours=2)).isoformat() + "+02:00",
        ends_at=(starts + timedelta(hours=4)).isoformat() + "+02:00",
    )
    assert zoned.get_json()["starts_at"] == starts.isoformat() + "Z"


def test_an_offer_of_help_is_seen_in_the_residence_and_closed_by_its_author(tenant_of):
    odette, bruno = tenant_of("A-01"), tenant_of("B-01", "Bruno")
    offer = {
        "kind": "offer",
        "category": "homework",
        "title": "Aide aux devoirs",
        "description": "Maths, le soir.",
        "accept_charter": True,
    }
    added = odette.post("/skills", offer)
    assert added.status_code == 201
    skill = added.get_json()
    listed = bruno.get("/skills", query_string={"kind": "offer"}).get_json()["skills"]
    assert [s["id"] for s in listed] == [skill["id"]]
    assert listed[0]["author"]["display_name"] == "Odette" and listed[0]["mine"] is False
    assert bruno.get("/skills", query_string={"kind": "request"}).get_json()["skills"] == []
    assert is_problem(bruno.delete(f"/skills/{skill['id']}"), 404, "skill_not_found")
    assert odette.delete(f"/skills/{skill['id']}").status_code == 204
    assert bruno.get("/skills").get_json()["skills"] == []


def test_my_request_for_help_is_listed_with_its_answer_to_come(tenant_of):
    odette = tenant_of("A-01")
    asked = odette.post("/help-requests", {"topic": "phone", "message": "Photos ?", "how": "visit"})
    assert asked.status_code == 201
    assert asked.get_json()["answer"] is None and asked.get_json()["how"] == "visit"
    assert odette.get("/help-requests").get_json()["help_requests"] == [asked.get_json()]
    refused = odette.post("/help-requests", {"topic": "phone", "how": "fax"})
    assert is_problem(refused, 422, "how_unknown")


def test_my_data_is_a_zip_with_what_i_wrote_and_my_photos(tenant_of):
    odette = tenant_of("A-01")
    created = put_on_board(odette, png()).get_json()
    downloaded = odette.get("/me/data")
    assert downloaded.mimetype == "application/zip"
    assert downloaded.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(downloaded.data))
    assert f"photos/{created['photo']['id']}.jpg" in archive.namelist()
    data = json.loads(archive.read("my-data.json"))
    assert [p["title"] for p in data["posts"]] == ["Tajine aux olives"]
    assert "pin_hash" not in data["profile"]


def test_erasing_my_profile_needs_a_confirmation_and_signs_me_out(tenant_of):
    odette, karim = tenant_of("A-01"), tenant_of("A-02", "Karim")
    put_on_board(odette)
    unconfirmed = odette.post("/me/erase", {"what_i_wrote": "delete", "confirm": "yes"})
    assert is_problem(unconfirmed, 422, "confirm_missing")
    unchosen = odette.post("/me/erase", {"confirm": True})
    assert is_problem(unchosen, 422, "choice_missing")
    erased = odette.post("/me/erase", {"what_i_wrote": "delete", "confirm": True})
    assert erased.status_code == 200
    assert erased.get_json()["signed_in"] is None
    assert is_problem(odette.get("/me"), 401, "not_signed_in")
    assert karim.get("/board").get_json()["posts"] == []


def test_the_board_comes_a_page_at_a_time_through_the_api(tenant_of, fill_board):
    karim = tenant_of("A-02", "Karim")
    tenant_of("A-01")
    titles = fill_board("Odette", noticeboard.PAGE_SIZE + 2)
    first = karim.get("/board").get_json()
    assert [p["title"] for p in first["posts"]] == titles[: noticeboard.PAGE_SIZE]
    second = karim.get("/board", query_string={"before": first["older"]}).get_json()
    assert [p["title"] for p in second["posts"]] == titles[noticeboard.PAGE_SIZE :]
    assert second["older"] is None
    assert is_problem(karim.get("/board?before=nonsense"), 422, "page_unknown")
