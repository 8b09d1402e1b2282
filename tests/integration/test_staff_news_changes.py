"""Publishers change or take down their own news, agents their buildings' works: pages and API.

At the hub, each change writes what the boxes must do in their outbox: the boxes that
keep the news get its new text, those that no longer show it take it down.
"""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta

from sqlalchemy import select

from core.domain import news, photos, works
from core.domain.clock import utcnow
from core.storage.schema import audit_log, outbox
from core.storage.schema import news as news_table
from tests.conftest import Browser
from tests.support.api_client import Api, is_problem, png

MINE = "/staff/news"


def _publish(
    engine, estate, title: str, publisher: str = "town_hall", scope: str = "building", **fields
) -> str:
    """Publish news as the domain does; by default for building A."""
    scope_ref = {"building": estate.building_a, "residence": estate.residence_id}[scope]
    with engine.begin() as connection:
        return news.publish(
            connection, estate.publishers[publisher], title, "Le texte.", scope, scope_ref, **fields
        )


def _photo(engine) -> str:
    with engine.begin() as connection:
        return photos.store(connection, photos.reencode(png(), 640, 10**6)[0], 64, 48)


def _stored(engine, news_id: str) -> dict | None:
    with engine.connect() as connection:
        row = connection.execute(select(news_table).where(news_table.c.id == news_id)).first()
    return row._asdict() if row else None


def _actions(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(select(audit_log.c.action)).scalars())


def _scope_value(page: str, label: str) -> str:
    for value, text in re.findall(
        r'name="scope" value="([^"]+)".*?<span>([^<]+)</span>', page, re.DOTALL
    ):
        if label in text:
            return value
    raise AssertionError(f"no scope {label!r}")


def _hidden(page: str) -> dict[str, str]:
    fields = {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page)
    }
    fields.pop("csrf_token", None)
    return fields


def _change(browser: Browser, news_id: str, **fields):
    """Fill the change form as it is shown, with these fields changed, and preview it."""
    form_page = f"/staff/news/{news_id}/change"
    page = browser.get(form_page).text
    shown = {
        "title": re.search(r'name="title" type="text" value="([^"]*)"', page)[1],
        "body": re.search(r'<textarea id="body"[^>]*>([^<]*)</textarea>', page)[1],
        "scope": re.search(r'name="scope" value="([^"]+)" checked', page)[1],
        "expires_at": re.search(r'name="expires_at" type="date" value="([^"]*)"', page)[1],
    }
    values = {**{k: html.unescape(v) for k, v in shown.items()}, **_hidden(page), **fields}
    return browser.post(
        f"/staff/news/{news_id}/preview",
        values,
        form_page=form_page,
        content_type="multipart/form-data",
    )


def _confirm_change(browser: Browser, news_id: str, preview, action: str = "publish"):
    """Send the previewed change back as its hidden fields hold it."""
    return browser.post(
        f"/staff/news/{news_id}/change",
        {**_hidden(preview.text), "action": action},
        form_page=f"/staff/news/{news_id}/change",
    )


# Pages


def test_my_news_lists_what_my_publisher_shows_now_or_later_newest_first(
    browser, small_estate, engine
):
    now = utcnow()
    _publish(engine, small_estate, "Fête de quartier", published_at=now - timedelta(days=2))
    _publish(engine, small_estate, "Brocante", published_at=now + timedelta(days=3))
    _publish(
        engine,
        small_estate,
        "Ancienne collecte",
        published_at=now - timedelta(days=10),
        expires_at=now - timedelta(days=1),
    )
    _publish(engine, small_estate, "Loyers", publisher="landlord")
    browser.sign_in_staff("mairie")
    page = browser.get(MINE).get_data(as_text=True)
    assert page.index("Brocante") < page.index("Fête de quartier")
    assert "Ancienne collecte" not in page and "Loyers" not in page
    assert "Bâtiment A (building)" in page
    assert "Not shown yet" in page
    assert page.count("/change") == 2 and page.count("/take-down") == 2


def test_a_change_is_previewed_then_published_keeping_the_picture(
    browser, other_browser, small_estate, engine
):
    picture = _photo(engine)
    expires = utcnow() + timedelta(days=20)
    news_id = _publish(engine, small_estate, "Marché", photo_id=picture, expires_at=expires)
    browser.sign_in_staff("mairie")
    form = browser.get(f"/staff/news/{news_id}/change").get_data(as_text=True)
    assert 'value="Marché"' in form
    assert f'name="photo_id" value="{picture}"' in form
    residence = _scope_value(form, "Les Tilleuls")

    preview = _change(browser, news_id, title="Marché de printemps", scope=residence)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Marché de printemps" in page and "Publish the changes" in page
    assert _stored(engine, news_id)["title"] == "Marché"

    saved = _confirm_change(browser, news_id, preview)
    assert saved.status_code == 302 and saved.headers["Location"].endswith(MINE)
    assert "The changes are published." in browser.get(MINE).get_data(as_text=True)
    stored = _stored(engine, news_id)
    assert (stored["title"], stored["scope_kind"]) == ("Marché de printemps", "residence")
    assert stored["photo_id"] == picture
    # Shown until the end of the same day where the building is.
    assert abs(stored["expires_at"] - expires) < timedelta(days=1)
    assert "news.edit" in _actions(engine)
    other_browser.activate(small_estate.codes["B-01"])
    assert "Marché de printemps" in other_browser.get("/").get_data(as_text=True)


def test_the_picture_of_news_is_removed_or_replaced(browser, small_estate, engine):
    picture = _photo(engine)
    news_id = _publish(engine, small_estate, "Affiche", photo_id=picture)
    browser.sign_in_staff("mairie")
    replaced = _change(browser, news_id, photos=(io.BytesIO(png(colour="red")), "neuve.png"))
    _confirm_change(browser, news_id, replaced)
    new_picture = _stored(engine, news_id)["photo_id"]
    assert new_picture not in (None, picture)

    removed = _change(browser, news_id, remove_picture="1")
    _confirm_change(browser, news_id, removed)
    assert _stored(engine, news_id)["photo_id"] is None


def test_a_refused_change_comes_back_with_what_was_typed(browser, small_estate, engine):
    news_id = _publish(engine, small_estate, "Marché")
    browser.sign_in_staff("mairie")
    refused = _change(
        browser, news_id, title="Marché du dimanche", body="", expires_at="32/13/2030"
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'value="Marché du dimanche"' in page and 'value="32/13/2030"' in page
    assert f"/staff/news/{news_id}/preview" in page
    assert _stored(engine, news_id)["title"] == "Marché"


def test_going_back_from_the_preview_keeps_the_change_unpublished(browser, small_estate, engine):
    news_id = _publish(engine, small_estate, "Marché")
    browser.sign_in_staff("mairie")
    preview = _change(browser, news_id, title="Marché couvert")
    back = _confirm_change(browser, news_id, preview, action="edit")
    assert back.status_code == 200 and 'value="Marché couvert"' in back.text
    assert _stored(engine, news_id)["title"] == "Marché"


def test_taking_news_down_asks_first(browser, other_browser, small_estate, engine):
    news_id = _publish(engine, small_estate, "Coupure d'eau")
    browser.sign_in_staff("mairie")
    confirm = browser.get(f"/staff/news/{news_id}/take-down")
    assert confirm.status_code == 200 and "Coupure d&#39;eau" in confirm.text
    assert _stored(engine, news_id) is not None

    taken = browser.post(f"/staff/news/{news_id}/take-down", form_page=MINE)
    assert taken.status_code == 302
    assert "is taken down: tenants no longer see it" in browser.get(MINE).text
    assert _stored(engine, news_id) is None
    assert "news.withdraw" in _actions(engine)
    other_browser.activate(small_estate.codes["A-01"])
    assert "Coupure" not in other_browser.get("/").text


def test_another_publisher_cannot_change_or_take_down_the_news(browser, small_estate, engine):
    news_id = _publish(engine, small_estate, "Fête")
    browser.sign_in_staff("agent")
    assert browser.get(f"/staff/news/{news_id}/change").status_code == 404
    assert browser.get(f"/staff/news/{news_id}/take-down").status_code == 404
    fields = {"title": "Volée", "body": "B", "scope": "", "action": "publish"}
    for path in ("/preview", "/change", "/take-down"):
        answer = browser.post(f"/staff/news/{news_id}{path}", fields, form_page=MINE)
        assert answer.status_code == 404, path
    assert _stored(engine, news_id)["title"] == "Fête"
    assert "Fête" not in browser.get(MINE).text


def test_an_agent_changes_landlord_news_of_a_colleague_only_where_it_reaches_their_buildings(
    browser, small_estate, engine
):
    in_a = _publish(engine, small_estate, "Loyers A", publisher="landlord")
    everywhere = _publish(
        engine,
        small_estate,
        "Loyers",
        publisher="landlord",
        scope="residence",
    )
    browser.sign_in_staff("agent.b")
    assert browser.get(f"/staff/news/{in_a}/change").status_code == 404
    assert "Loyers A" not in browser.get(MINE).text
    form = browser.get(f"/staff/news/{everywhere}/change").text
    assert f'value="{_scope_value(form, "Les Tilleuls (residence)")}" checked' in form
    _confirm_change(browser, everywhere, _change(browser, everywhere, title="Loyers de mars"))
    stored = _stored(engine, everywhere)
    assert (stored["title"], stored["scope_ref"]) == ("Loyers de mars", small_estate.residence_id)


def test_a_caretaker_has_no_news_to_change(browser, small_estate, engine):
    browser.sign_in_staff("gardien")
    assert browser.get(MINE).status_code == 403


# API


def _patch(api: Api, news_id: str, **fields):
    return api.patch(f"/staff/news/{news_id}", data=fields, content_type="multipart/form-data")


def test_the_api_changes_only_what_is_sent(staff, small_estate, engine):
    expires = utcnow().replace(microsecond=0) + timedelta(days=5)
    news_id = _publish(engine, small_estate, "Marché", expires_at=expires)
    mairie = staff("mairie")
    listed = mairie.get("/staff/news").get_json()["news"]
    assert [(n["id"], n["scope_name"]) for n in listed] == [(news_id, "Bâtiment A")]

    changed = _patch(mairie, news_id, title="Marché bio")
    assert changed.status_code == 200
    item = changed.get_json()
    assert (item["title"], item["body"], item["scope"]) == ("Marché bio", "Le texte.", "building")
    assert item["expires_at"] == expires.isoformat() + "Z"

    wider = _patch(
        mairie,
        news_id,
        scope="city",
        building_id=small_estate.building_b,
        expires_at="",
        photo=(io.BytesIO(png()), "affiche.png"),
    ).get_json()
    assert (wider["scope"], wider["scope_name"], wider["expires_at"]) == ("city", "Marseille", None)
    assert wider["photo"] is not None
    assert _patch(mairie, news_id, remove_photo="true").get_json()["photo"] is None
    assert _actions(engine).count("news.edit") == 3


def test_the_api_refuses_a_bad_change_and_keeps_the_news(staff, small_estate, engine):
    news_id = _publish(engine, small_estate, "Marché")
    mairie = staff("mairie")
    assert is_problem(_patch(mairie, news_id, title=" "), 422, "title_missing")
    assert is_problem(
        _patch(mairie, news_id, scope="planet", building_id=small_estate.building_a), 422
    )
    assert is_problem(_patch(mairie, news_id, expires_at="mardi"), 422, "field_type")
    assert is_problem(mairie.patch(f"/staff/news/{news_id}", {"title": "JSON"}), 415)
    assert _stored(engine, news_id)["title"] == "Marché"
    assert "news.edit" not in _actions(engine)


def test_the_api_takes_down_only_my_publishers_news(staff, small_estate, engine):
    news_id = _publish(engine, small_estate, "Fête")
    agent = staff("agent")
    assert is_problem(_patch(agent, news_id, title="Volée"), 404, "news_not_found")
    assert is_problem(agent.delete(f"/staff/news/{news_id}"), 404)
    assert agent.get("/staff/news").get_json() == {"news": []}
    assert is_problem(staff("gardien").delete(f"/staff/news/{news_id}"), 403)

    mairie = staff("mairie")
    taken = mairie.delete(f"/staff/news/{news_id}")
    assert taken.status_code == 204 and taken.get_data() == b""
    assert _stored(engine, news_id) is None
    assert is_problem(mairie.delete(f"/staff/news/{news_id}"), 404)


def test_the_api_takes_down_works_of_my_buildings_only(staff, small_estate, engine):
    today = utcnow().date()
    with engine.begin() as connection:
        in_a = works.announce(
            connection,
            "building",
            small_estate.building_a,
            "Peinture",
            "Hall",
            today,
            today,
            publisher_id=small_estate.publishers["landlord"],
        )
        in_b = works.announce(
            connection,
            "building",
            small_estate.building_b,
            "Toiture",
            "Toit",
            today,
            today,
            publisher_id=small_estate.publishers["landlord"],
        )
    agent_b = staff("agent.b")
    assert [n["id"] for n in agent_b.get("/staff/works").get_json()["works"]] == [in_b]
    assert is_problem(agent_b.delete(f"/staff/works/{in_a}"), 404, "works_not_found")
    assert is_problem(staff("mairie").delete(f"/staff/works/{in_b}"), 404, "works_not_found")
    assert is_problem(staff("gardien").delete(f"/staff/works/{in_b}"), 403)
    assert agent_b.delete(f"/staff/works/{in_b}").status_code == 204
    assert agent_b.get("/staff/works").get_json() == {"works": []}
    assert "works.withdraw" in _actions(engine)


# At the hub


def _outbox(engine) -> set[tuple]:
    with engine.connect() as connection:
        query = select(outbox.c.peer_id, outbox.c.seq, outbox.c.kind, outbox.c.subject_id)
        return {tuple(row) for row in connection.execute(query)}


def _written_since(engine, before: set[tuple]) -> set[tuple[str, str, str]]:
    """Return the messages written to the outbox since then: (box, kind, subject)."""
    return {(peer, kind, subject) for peer, _seq, kind, subject in _outbox(engine) - before}


def test_at_the_hub_a_change_reaches_the_boxes_in_scope_and_leaves_the_others(
    hub, small_estate, engine
):
    news_id = _publish(engine, small_estate, "Ascenseur")
    console = Browser(hub.test_client())
    console.sign_in_staff("mairie")

    before = _outbox(engine)
    _confirm_change(console, news_id, _change(console, news_id, title="Ascenseur réparé"))
    assert _written_since(engine, before) == {("box-a", "news.published", news_id)}

    before = _outbox(engine)
    form = console.get(f"/staff/news/{news_id}/change").text
    _confirm_change(
        console,
        news_id,
        _change(console, news_id, scope=_scope_value(form, "Bâtiment B (building)")),
    )
    assert _written_since(engine, before) == {
        ("box-a", "news.withdrawn", news_id),
        ("box-b", "news.published", news_id),
    }


def test_at_the_hub_taking_down_tells_only_the_boxes_that_show_it(hub, small_estate, engine):
    residence_wide = _publish(engine, small_estate, "Fête des voisins", scope="residence")
    today = utcnow().date()
    with engine.begin() as connection:
        notice = works.announce(
            connection,
            "building",
            small_estate.building_b,
            "Toiture",
            "Toit",
            today,
            today,
            publisher_id=small_estate.publishers["landlord"],
        )
    console = Browser(hub.test_client())
    console.sign_in_staff("mairie")
    before = _outbox(engine)
    console.post(f"/staff/news/{residence_wide}/take-down", form_page=MINE)
    assert _written_since(engine, before) == {
        ("box-a", "news.withdrawn", residence_wide),
        ("box-b", "news.withdrawn", residence_wide),
    }

    agent = Api(hub.test_client())
    agent.sign_in_staff("agent")
    before = _outbox(engine)
    assert agent.delete(f"/staff/works/{notice}").status_code == 204
    assert _written_since(engine, before) == {("box-b", "works.withdrawn", notice)}


def test_at_the_hub_another_publisher_changes_nothing_on_the_boxes(hub, small_estate, engine):
    news_id = _publish(engine, small_estate, "Ascenseur")
    agent = Api(hub.test_client())
    agent.sign_in_staff("agent")
    before = _outbox(engine)
    assert is_problem(_patch(agent, news_id, title="Volée"), 404)
    assert is_problem(agent.delete(f"/staff/news/{news_id}"), 404)
    assert _outbox(engine) == before
