"""Publishers and agents preview then publish news, and agents announce works."""

import io
import re
from datetime import date, timedelta

from PIL import Image
from sqlalchemy import select

from core.domain import works
from core.domain.clock import utcnow
from core.storage.schema import audit_log, news, works_notices
from tests.conftest import Browser


def _scope_for(page: str, label: str) -> str:
    """Return the value of the "who will see it" choice whose label contains the words."""
    for value, text in re.findall(
        r'name="scope" value="([^"]+)".*?<span>([^<]+)</span>', page, re.DOTALL
    ):
        if label in text:
            return value
    raise AssertionError(f"no scope {label!r}")


def _picture() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(out, "PNG")
    out.seek(0)
    return out


def test_news_is_previewed_then_published_to_tenants_of_the_building(
    browser, other_browser, small_estate, engine
):
    browser.sign_in_staff("mairie")
    form = browser.get("/staff/news/new").get_data(as_text=True)
    scope = _scope_for(form, "Bâtiment A")
    fields = {
        "title": "Collecte des encombrants",
        "body": "Mardi matin, devant le bâtiment.\n\nSortez vos meubles la veille au soir.",
        "scope": scope,
        "expires_at": (date.today() + timedelta(days=10)).isoformat(),
    }
    preview = browser.post(
        "/staff/news/preview",
        {**fields, "photos": (_picture(), "affiche.png")},
        form_page="/staff/news/new",
        content_type="multipart/form-data",
    )
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Collecte des encombrants" in page and "Mairie 15e" in page
    photo_id = re.search(r'name="photo_id" value="(\w+)"', page).group(1)
    assert browser.get(f"/photos/{photo_id}.jpg").status_code == 200
    with engine.connect() as connection:
        assert connection.execute(select(news.c.id)).first() is None

    published = browser.post(
        "/staff/news",
        {**fields, "photo_id": photo_id, "action": "publish"},
        form_page="/staff/news/new",
    )
    assert published.status_code == 302
    mine = browser.get(published.headers["Location"]).get_data(as_text=True)
    assert "The news is published." in mine and "Collecte des encombrants" in mine
    other_browser.activate(small_estate.codes["A-01"])
    home = other_browser.get("/").get_data(as_text=True)
    assert "Collecte des encombrants" in home
    assert f"/photos/{photo_id}.jpg" in home
    with engine.connect() as connection:
        assert "news.publish" in set(connection.execute(select(audit_log.c.action)).scalars())


def test_news_for_one_building_is_not_shown_in_the_other(browser, other_browser, small_estate):
    browser.sign_in_staff("mairie")
    scope = _scope_for(browser.get("/staff/news/new").get_data(as_text=True), "Bâtiment A")
    browser.post(
        "/staff/news",
        {"title": "Ascenseur A", "body": "Réparé.", "scope": scope, "action": "publish"},
        form_page="/staff/news/new",
    )
    other_browser.activate(small_estate.codes["B-01"])
    assert "Ascenseur A" not in other_browser.get("/").get_data(as_text=True)


def test_a_refused_news_draft_comes_back_with_what_was_typed(browser, small_estate):
    browser.sign_in_staff("mairie")
    refused = browser.post(
        "/staff/news/preview",
        {"title": "Fête des voisins", "body": "", "scope": "", "expires_at": "31/02/2030"},
        form_page="/staff/news/new",
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'value="Fête des voisins"' in page
    assert 'value="31/02/2030"' in page
    assert "-error" in page


def test_changing_a_previewed_news_item_goes_back_to_the_form(browser, small_estate, engine):
    browser.sign_in_staff("mairie")
    scope = _scope_for(browser.get("/staff/news/new").get_data(as_text=True), "Marseille")
    back = browser.post(
        "/staff/news",
        {"title": "Marché", "body": "Samedi.", "scope": scope, "action": "edit"},
        form_page="/staff/news/new",
    )
    assert back.status_code == 200
    assert 'value="Marché"' in back.get_data(as_text=True)
    with engine.connect() as connection:
        assert connection.execute(select(news.c.id)).first() is None


def test_an_agent_without_a_publisher_writes_as_the_landlord(browser, small_estate):
    browser.sign_in_staff("agent")
    assert "Habitat Sud" in browser.get("/staff/news/new").get_data(as_text=True)


def test_a_caretaker_cannot_publish_news(browser, small_estate):
    browser.sign_in_staff("gardien")
    assert browser.get("/staff/news/new").status_code == 403


def _works(start: date, scope: str, **more: str) -> dict:
    return {
        "title": "Remplacement des boîtes aux lettres",
        "location": "Hall d'entrée",
        "starts_on": start.strftime("%d/%m/%Y"),
        "ends_on": (start + timedelta(days=1)).isoformat(),
        "tenant_action": "Récupérez votre courrier à la loge.",
        "scope": scope,
        **more,
    }


def test_works_are_previewed_with_their_picture_then_announced_to_the_building(
    app, browser, other_browser, small_estate, engine
):
    browser.sign_in_staff("agent")
    scope = _scope_for(browser.get("/staff/works/new").get_data(as_text=True), "Bâtiment A")
    fields = _works(date.today() + timedelta(days=2), scope)
    preview = browser.post(
        "/staff/works/preview",
        {**fields, "photos": (_picture(), "plan.png")},
        form_page="/staff/works/new",
        content_type="multipart/form-data",
    )
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Remplacement des boîtes aux lettres" in page and "Habitat Sud" in page
    assert "Récupérez votre courrier à la loge." in page
    photo_id = re.search(r'name="photo_id" value="(\w+)"', page).group(1)
    assert browser.get(f"/photos/{photo_id}.jpg").status_code == 200
    with engine.connect() as connection:
        assert connection.execute(select(works_notices.c.id)).first() is None

    announced = browser.post(
        "/staff/works",
        {**fields, "photo_id": photo_id, "action": "publish"},
        form_page="/staff/works/new",
    )
    assert announced.status_code == 302
    mine = browser.get(announced.headers["Location"]).get_data(as_text=True)
    assert "The works are announced" in mine and "Remplacement des boîtes aux lettres" in mine
    other_browser.activate(small_estate.codes["A-02"])
    home = other_browser.get("/").get_data(as_text=True)
    assert "Remplacement des boîtes aux lettres" in home
    assert f"/photos/{photo_id}.jpg" in home
    assert other_browser.get(f"/photos/{photo_id}.jpg").status_code == 200
    with engine.connect() as connection:
        assert "works.announce" in set(connection.execute(select(audit_log.c.action)).scalars())
    in_b = Browser(app.test_client())
    in_b.activate(small_estate.codes["B-01"])
    assert "Remplacement des boîtes aux lettres" not in in_b.get("/").get_data(as_text=True)


def test_the_town_hall_announces_works_to_the_whole_district(app, browser, small_estate):
    browser.sign_in_staff("mairie")
    scope = _scope_for(browser.get("/staff/works/new").get_data(as_text=True), "La Viste")
    fields = _works(date.today(), scope, title="Réfection de la chaussée")
    announced = browser.post(
        "/staff/works", {**fields, "action": "publish"}, form_page="/staff/works/new"
    )
    assert announced.status_code == 302
    for reference in ("A-01", "B-01"):
        tenant = Browser(app.test_client())
        tenant.activate(small_estate.codes[reference])
        home = tenant.get("/").get_data(as_text=True)
        assert "Réfection de la chaussée" in home and "Mairie 15e" in home


def test_works_without_dates_or_beyond_my_buildings_are_refused_with_the_form_kept(
    browser, small_estate
):
    browser.sign_in_staff("agent.b")
    scope = _scope_for(browser.get("/staff/works/new").get_data(as_text=True), "Bâtiment B")
    fields = {"title": "Peinture", "location": "Escalier", "starts_on": "", "ends_on": ""}
    missing = browser.post(
        "/staff/works/preview", {**fields, "scope": scope}, form_page="/staff/works/new"
    )
    assert missing.status_code == 422
    assert 'id="starts_on-error"' in missing.get_data(as_text=True)
    assert 'value="Peinture"' in missing.get_data(as_text=True)
    # Building A's choice is not on agent B's form: sent anyway, it is refused.
    elsewhere = browser.post(
        "/staff/works/preview",
        {
            **fields,
            "scope": "building-0000000000",
            "starts_on": "2030-01-01",
            "ends_on": "2030-01-01",
        },
        form_page="/staff/works/new",
    )
    assert elsewhere.status_code == 422
    assert 'id="scope-error"' in elsewhere.get_data(as_text=True)
    assert 'value="Peinture"' in elsewhere.get_data(as_text=True)


def test_works_of_my_buildings_are_changed_and_taken_down_after_confirmation(
    browser, other_browser, small_estate, engine
):
    today = utcnow().date()
    landlord = small_estate.publishers["landlord"]
    with engine.begin() as connection:
        in_a = works.announce(
            connection,
            "building",
            small_estate.building_a,
            "Peinture",
            "Hall",
            today,
            today,
            publisher_id=landlord,
        )
        in_b = works.announce(
            connection,
            "building",
            small_estate.building_b,
            "Toiture",
            "Toit",
            today,
            today + timedelta(days=3),
            publisher_id=landlord,
        )
    browser.sign_in_staff("agent.b")
    page = browser.get("/staff/works").get_data(as_text=True)
    assert f"/staff/works/{in_b}/take-down" in page and in_a not in page
    assert browser.get(f"/staff/works/{in_a}/change").status_code == 404
    assert browser.get(f"/staff/works/{in_a}/take-down").status_code == 404
    assert (
        browser.post(f"/staff/works/{in_a}/take-down", form_page="/staff/works/new").status_code
        == 404
    )

    form = browser.get(f"/staff/works/{in_b}/change").get_data(as_text=True)
    assert 'value="Toiture"' in form
    scope = _scope_for(form, "Les Tilleuls")
    changed = browser.post(
        f"/staff/works/{in_b}/change",
        {
            "title": "Toiture et gouttières",
            "location": "Toit",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=4)).isoformat(),
            "scope": scope,
            "action": "publish",
        },
        form_page=f"/staff/works/{in_b}/change",
    )
    assert changed.status_code == 302
    other_browser.activate(small_estate.codes["A-01"])
    assert "Toiture et gouttières" in other_browser.get("/").get_data(as_text=True)

    confirm = browser.get(f"/staff/works/{in_b}/take-down").get_data(as_text=True)
    assert "Toiture et gouttières" in confirm and "Les Tilleuls" in confirm
    taken = browser.post(f"/staff/works/{in_b}/take-down", form_page="/staff/works")
    assert taken.status_code == 302
    assert "is taken down" in browser.get("/staff/works").get_data(as_text=True)
    with engine.connect() as connection:
        left = set(connection.execute(select(works_notices.c.id)).scalars())
        actions = list(connection.execute(select(audit_log.c.action)).scalars())
    assert left == {in_a}
    assert actions.count("works.edit") == actions.count("works.withdraw") == 1
    assert "Toiture" not in other_browser.get("/").get_data(as_text=True)


def test_staff_pages_do_not_send_staff_to_the_caretaker(browser, other_browser, small_estate):
    footer = "Need help? Ask your caretaker or the digital mediator of your building."
    assert footer not in browser.get("/staff/sign-in").get_data(as_text=True)
    browser.sign_in_staff("gardien")
    assert footer not in browser.get("/staff/").get_data(as_text=True)
    other_browser.activate(small_estate.codes["A-01"], locale="en")
    assert footer in other_browser.get("/").get_data(as_text=True)
