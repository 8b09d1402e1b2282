"""A TV signed in by a household's phone, never by a code typed with a remote: the TV
shows a code, the phone approves it, the TV reads the portal with a session that sends
only simple answers and that the phone can end."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from core.storage.schema import event_rsvps, events, reports, tv_pairings
from tests.conftest import Browser
from webui.tv import pairing

CODE = re.compile(r'<strong dir="ltr">(\d{3}) (\d{3})</strong>')
WEBOS = (
    "Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/38.0.2125.122 Safari/537.36 WebAppManager"
)
PHONE = (
    "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36"
)
READ_ON_A_TV = ("/", "/events", "/board", "/deals", "/services", "/reports")


def _code_on(tv: Browser) -> str:
    page = tv.get("/tv/pair")
    assert page.status_code == 200
    shown = page.get_data(as_text=True)
    assert 'src="data:image/svg+xml' in shown
    return "".join(CODE.search(shown).groups())


def _state(tv: Browser) -> str:
    answer = tv.get("/tv/pair/state")
    assert answer.headers["Cache-Control"] == "no-store"
    return answer.get_json()["state"]


def _paired(app, phone: Browser) -> Browser:
    tv = Browser(app.test_client())
    assert tv.get("/tv").headers["Location"] == "/tv/pair"
    code = _code_on(tv)
    approved = phone.post("/tv/approve", {"code": f"{code[:3]} {code[3:]}"}, form_page="/me")
    assert approved.status_code == 302
    assert approved.headers["Location"] == "/me#tvs"
    assert _state(tv) == "approved"
    assert tv.get("/tv/pair").headers["Location"] == "/"
    return tv


@pytest.fixture
def phone(app, small_estate) -> Browser:
    person = Browser(app.test_client())
    person.activate(small_estate.codes["A-01"], "Odette Martin")
    return person


def test_a_phone_of_the_household_lets_the_tv_in_and_the_tv_reads_the_portal(app, phone):
    tv = Browser(app.test_client())
    tv.get("/tv")
    code = _code_on(tv)
    assert _state(tv) == "waiting"
    # Scanning the TV's QR code opens the phone's page with the code filled in.
    form = phone.get(f"/tv/approve?code={code}").get_data(as_text=True)
    assert f'value="{code}"' in form and "Odette Martin" in form
    phone.post("/tv/approve", {"code": code}, form_page="/me")
    assert tv.get("/tv/pair").headers["Location"] == "/"
    home = tv.get("/").get_data(as_text=True)
    assert 'class="text-size-0 tv"' in home
    assert "Odette Martin" in home and 'class="main-nav tv-nav"' in home
    # The phone's profile lists the TV, with a way to sign it out.
    profile = phone.get("/me").get_data(as_text=True)
    assert profile.count("/tv/leave/") == 1
    # The pairing was used: the code lets no second TV in.
    again = phone.post("/tv/approve", {"code": code}, form_page="/me")
    assert again.status_code == 422
    assert "Ce code ne marche pas" in again.get_data(as_text=True)


def test_another_tv_cannot_take_the_session_a_phone_gave_to_the_first(app, phone):
    first, second = Browser(app.test_client()), Browser(app.test_client())
    code = _code_on(first)
    _code_on(second)
    phone.post("/tv/approve", {"code": code}, form_page="/me")
    assert _state(second) == "waiting"
    assert second.get("/tv/pair").status_code == 200
    assert second.get("/").headers["Location"].startswith("/welcome")
    assert _state(first) == "approved"


def test_a_tv_s_session_reads_replies_to_an_event_and_sends_nothing_else(
    app, phone, small_estate, engine
):
    day = (date.today() + timedelta(days=3)).strftime("%d/%m/%Y")
    phone.post(
        "/events",
        {
            "scope": "building",
            "title": "Goûter des voisins",
            "place": "Cour",
            "day": day,
            "starts": "16:00",
            "ends": "18:00",
            "description": "",
            "capacity": "",
            "organiser": "Odette Martin",
            "charter": "accepted",
        },
        form_page="/events/new",
    )
    with engine.connect() as connection:
        event_id = connection.execute(select(events.c.id)).scalar()
    assert event_id is not None
    tv = _paired(app, phone)
    for page in (*READ_ON_A_TV, f"/events/{event_id}"):
        assert tv.get(page).status_code == 200, page
    # One press of OK: the reply is taken.
    replied = tv.post(
        f"/events/{event_id}/reply",
        {"people": "2", "action": "come"},
        form_page=f"/events/{event_id}",
    )
    assert replied.status_code == 302
    with engine.connect() as connection:
        people = connection.execute(
            select(event_rsvps.c.people).where(event_rsvps.c.event_id == event_id)
        ).scalar()
    assert people == 2
    # A report sent from the TV is not taken: the page says to use a phone.
    refused = tv.post(
        "/reports",
        {"category": "noise", "description": "Du bruit la nuit dans l'escalier B."},
        form_page="/",
    )
    assert refused.status_code == 403
    assert "Continuez sur votre téléphone" in refused.get_data(as_text=True)
    with engine.connect() as connection:
        assert connection.execute(select(reports.c.id)).first() is None
    # One person's messages and profile are not shown on the TV.
    for page in ("/messages", "/me", "/me/my-data.zip"):
        answer = tv.get(page)
        assert answer.status_code == 403, page
        assert "Odette" not in answer.get_data(as_text=True).split("<main", 1)[1]
    # Nor does the API take what the TV's cookie sends.
    token = tv.get("/api/v1/session").get_json()["csrf_token"]
    api = tv.client.post(
        "/api/v1/conversations",
        json={"to": "x", "text": "Bonjour"},
        headers={"X-CSRFToken": token},
    )
    assert api.status_code == 403
    assert api.get_json()["code"] == "tv_session"
    # A TV does not let another TV in.
    assert tv.get("/tv/approve").status_code == 200
    assert "Continuez sur votre téléphone" in tv.get("/tv/approve").get_data(as_text=True)
    assert tv.post("/tv/approve", {"code": "123456"}, form_page="/").status_code == 403


def test_the_phone_signs_the_tv_out_from_the_profile(app, phone, small_estate):
    tv = _paired(app, phone)
    profile = phone.get("/me").get_data(as_text=True)
    leave = re.search(r'action="(/tv/leave/[0-9a-f]+)"', profile).group(1)
    assert phone.post(leave, {}, form_page="/me").headers["Location"] == "/me#tvs"
    assert "/tv/leave/" not in phone.get("/me").get_data(as_text=True)
    # The TV is out at once, and back on its pairing page, in the TV mode.
    assert tv.get("/").headers["Location"].startswith("/welcome")
    assert tv.get("/welcome").headers["Location"] == "/tv/pair"
    # Nobody else signs a person's TV out, even knowing its record.
    other = _paired(app, phone)
    theirs = re.search(r'action="(/tv/leave/[0-9a-f]+)"', phone.get("/me").get_data(as_text=True))
    stranger = Browser(app.test_client())
    stranger.activate(small_estate.codes["A-02"], "Karim")
    stranger.post(theirs.group(1), {}, form_page="/me")
    assert other.get("/").status_code == 200


def test_guessing_codes_stops_after_a_few(app, phone, engine):
    tv = Browser(app.test_client())
    code = _code_on(tv)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    for _ in range(5):
        assert phone.post("/tv/approve", {"code": wrong}, form_page="/me").status_code == 422
    stopped = phone.post("/tv/approve", {"code": code}, form_page="/me")
    assert stopped.status_code == 429
    assert _state(tv) == "waiting"


def test_a_code_lasts_ten_minutes_then_the_tv_shows_a_new_one(app, phone, engine):
    tv = Browser(app.test_client())
    code = _code_on(tv)
    with engine.begin() as connection:
        connection.execute(
            update(tv_pairings).values(expires_at=tv_pairings.c.created_at - timedelta(seconds=1))
        )
    assert _state(tv) == "ended"
    assert phone.post("/tv/approve", {"code": code}, form_page="/me").status_code == 422
    # The TV's page starts a new pairing, which a phone can approve.
    fresh = _code_on(tv)
    assert _state(tv) == "waiting"
    assert phone.post("/tv/approve", {"code": fresh}, form_page="/me").status_code == 302
    assert _state(tv) == "approved"


def test_a_tv_s_browser_gets_the_tv_mode_and_anyone_can_switch(app, small_estate):
    tv = Browser(app.test_client())
    tv.client.environ_base["HTTP_USER_AGENT"] = WEBOS
    assert tv.get("/welcome").headers["Location"] == "/tv/pair"
    page = tv.get("/tv/pair").get_data(as_text=True)
    assert " tv" in page.split("<html", 1)[1].split(">", 1)[0]
    assert "/static/js/tv." in page and "/static/css/tv." in page
    phone = Browser(app.test_client())
    phone.client.environ_base["HTTP_USER_AGENT"] = PHONE
    welcome = phone.get("/welcome")
    assert welcome.status_code == 200
    assert "/static/js/tv." not in welcome.get_data(as_text=True)
    # The switch in the header, kept for the device.
    phone.post("/preferences/screen", {"screen": "tv", "next": "/help"})
    assert "/static/js/tv." in phone.get("/tv/pair").get_data(as_text=True)
    tv.post("/preferences/screen", {"screen": "standard", "next": "/help"}, form_page="/tv/pair")
    assert tv.get("/welcome").status_code == 200


def test_in_the_tv_mode_pages_made_for_typing_lead_to_the_phone(app, phone):
    assert 'name="description"' in phone.get("/reports/new").get_data(as_text=True)
    phone.post("/preferences/screen", {"screen": "tv", "next": "/"}, form_page="/")
    instead = phone.get("/reports/new")
    assert instead.status_code == 200
    shown = instead.get_data(as_text=True)
    assert 'name="description"' not in shown
    assert "Continuez sur votre téléphone" in shown
    assert re.search(r"http://[^<]+/reports/new</bdi>", shown)
    # A page that does not exist stays one: no QR code is drawn for any address asked.
    assert phone.get("/events/nothing-here/change").status_code == 404


def test_an_address_that_keeps_starting_pairings_is_stopped(app, engine, monkeypatch):
    # Each pairing has its QR code drawn by a process: a flood of them must not keep the
    # box drawing, nor fill its database.
    monkeypatch.setattr(pairing, "PAIRINGS", 3)
    tv = Browser(app.test_client())
    code = _code_on(tv)
    for _ in range(2):
        assert Browser(app.test_client()).get("/tv/pair").status_code == 200
    stopped = Browser(app.test_client()).get("/tv/pair")
    assert stopped.status_code == 429
    assert stopped.headers["Retry-After"]
    with engine.connect() as connection:
        assert len(connection.execute(select(tv_pairings.c.id)).all()) == 3
    # A TV already showing its code keeps it, and can still be let in.
    assert _code_on(tv) == code
