"""The news read aloud by the box's own voice (espeak-ng and ffmpeg, really run): spoken
in the background, offered on the page once spoken, sent with ranges, spoken again when
changed and forgotten when gone."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, update

from appliance.services.read_aloud.refresh import refresh
from core import speech_library
from core.domain import news
from core.storage.schema import news as news_table
from tests.conftest import Browser
from tests.integration.test_lobby_screen import _make_screen, _set_up
from tests.support.sound import mp3_seconds

PLAYER = re.compile(r'<a class="button button--secondary" href="(/readings/([0-9a-f]{32})\.mp3)"')


def _speak(engine, data_dir) -> dict:
    with engine.connect() as connection:
        return refresh(connection, data_dir, "fr", ZoneInfo("Europe/Paris"))


@pytest.fixture
def tenant(app, small_estate) -> Browser:
    person = Browser(app.test_client())
    person.activate(small_estate.codes["A-01"], "Odette Martin", locale="ar")
    return person


def test_a_news_item_is_heard_once_the_box_has_spoken_it(
    app, engine, data_dir, small_estate, tenant
):
    with engine.begin() as connection:
        news_id = news.publish(
            connection,
            small_estate.publishers["town_hall"],
            "Fête des voisins",
            "Samedi sur la place. Apportez un plat à partager.",
            "city",
            "Marseille",
            versions={"ar": {"title": "حفلة الجيران", "body": "يوم السبت في الساحة."}},
        )
    page = f"/news/{news_id}"
    # Not spoken yet: no player, and the page does not wait for a voice.
    assert "/readings/" not in tenant.get(page).get_data(as_text=True)

    done = _speak(engine, data_dir)
    assert done["spoken"] >= 2 and done["failed"] == 0
    shown = tenant.get(page).get_data(as_text=True)
    address, name = PLAYER.search(shown).groups()
    # The reader's language (Arabic here) has its own reading.
    assert "استمع" in shown
    whole = tenant.get(address)
    assert whole.status_code == 200
    assert whole.mimetype == "audio/mpeg"
    assert "immutable" in whole.headers["Cache-Control"]
    assert mp3_seconds(whole.get_data()) > 1.5
    # A TV's player and a browser ask for parts.
    part = tenant.get(address, headers={"Range": "bytes=100-1099"})
    assert part.status_code == 206
    assert part.get_data() == whole.get_data()[100:1100]

    # Nothing is spoken twice.
    assert _speak(engine, data_dir)["spoken"] == 0

    # Changed: spoken again; the old words are forgotten.
    with engine.begin() as connection:
        connection.execute(
            update(news_table)
            .where(news_table.c.id == news_id)
            .values(versions={"ar": {"title": "حفلة الجيران", "body": "يوم الأحد."}})
        )
    assert _speak(engine, data_dir)["forgotten"] == 1
    assert speech_library.path_of(data_dir, name) is None
    assert tenant.get(address).status_code == 404
    assert PLAYER.search(tenant.get(page).get_data(as_text=True)).group(2) != name

    # Taken down: every reading of it goes.
    before = speech_library.spoken(data_dir)
    with engine.begin() as connection:
        connection.execute(delete(news_table).where(news_table.c.id == news_id))
    assert _speak(engine, data_dir)["forgotten"] == 2
    assert len(speech_library.spoken(data_dir)) == len(before) - 2


def test_only_tenants_hear_readings_and_only_readings_are_served(app, engine, data_dir, tenant):
    speech_library.keep(data_dir, "a" * 32, b"ID3 sound")
    stranger = Browser(app.test_client())
    assert stranger.get(f"/readings/{'a' * 32}.mp3").status_code == 302
    assert tenant.get(f"/readings/{'a' * 32}.mp3").status_code == 200
    for name in ("../secrets", "A" * 32, "a" * 31, "box.sqlite3"):
        assert tenant.get(f"/readings/{name}.mp3").status_code == 404


def test_the_lobby_screen_offers_its_slides_read_aloud_muted(app, engine, data_dir, small_estate):
    caretaker = Browser(app.test_client())
    caretaker.sign_in_staff("gardien")
    with engine.begin() as connection:
        news.publish(
            connection,
            small_estate.publishers["town_hall"],
            "Collecte des encombrants",
            "Mardi matin, devant le bâtiment.",
            "city",
            "Marseille",
        )
    _speak(engine, data_dir)
    screen = _set_up(app, _make_screen(caretaker))
    lobby = f"/lobby/{small_estate.building_a}"
    shown = screen.get(lobby).get_data(as_text=True)
    address = re.search(r'<audio controls muted preload="none" src="([^"]+)">', shown).group(1)
    assert address.startswith(f"{lobby}/readings/")
    assert screen.get(address).mimetype == "audio/mpeg"
    # Only a screen of that building hears it.
    assert Browser(app.test_client()).get(address).status_code == 403
