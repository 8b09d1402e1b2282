"""Staff write news, works, deals and services in one language with optional versions in
the others; each tenant reads their language, else the original, told so."""

import html
import re
from datetime import timedelta

from sqlalchemy import select

from core.domain import deals, news, partners, works
from core.domain.clock import utcnow
from core.storage.engine import writing
from core.storage.schema import news as news_table
from tests.conftest import Browser

ARABIC_TITLE = "جمع الأغراض الكبيرة"
ARABIC_BODY = "صباح الثلاثاء أمام العمارة."


def _scope(page: str) -> str:
    return re.search(r'name="scope" value="([^"]+)"', page).group(1)


def _news_form(browser) -> dict[str, str]:
    page = browser.get("/staff/news/new").get_data(as_text=True)
    return {
        "title": "Collecte des encombrants",
        "body": "Mardi matin, devant le bâtiment.",
        "scope": _scope(page),
        "language": "fr",
    }


def test_the_news_form_offers_the_other_languages_typed_in_their_direction(browser, small_estate):
    browser.sign_in_staff("mairie")
    page = browser.get("/staff/news/new").get_data(as_text=True)
    # Staff here read English: what they write is in English unless they say otherwise.
    assert re.search(r'name="language" value="en" checked', page)
    assert "French version (optional)" in page and "Arabic version (optional)" in page
    assert "English version (optional)" not in page
    assert re.search(r'<input id="title_ar" name="title_ar"[^>]*lang="ar" dir="rtl"', page)
    assert re.search(r'<textarea id="body_ar" name="body_ar"[^>]*lang="ar" dir="rtl"', page)
    assert not re.search(r'id="body_ar"[^>]* required', page)


def test_the_preview_shows_each_version_and_carries_it_to_publishing(browser, small_estate, engine):
    browser.sign_in_staff("mairie")
    fields = _news_form(browser) | {"title_ar": ARABIC_TITLE, "body_ar": ARABIC_BODY}
    preview = browser.post("/staff/news/preview", fields, form_page="/staff/news/new")
    page = html.unescape(preview.get_data(as_text=True))
    assert preview.status_code == 200
    assert re.search(
        rf'<article class="panel" lang="ar" dir="rtl">\s*<h3>{ARABIC_TITLE}</h3>', page
    )
    assert f'name="title_ar" value="{ARABIC_TITLE}"' in page
    published = browser.post(
        "/staff/news", fields | {"action": "publish"}, form_page="/staff/news/new"
    )
    assert published.status_code == 302
    with engine.connect() as connection:
        row = connection.execute(select(news_table.c.language, news_table.c.versions)).one()
    assert row.language == "fr"
    assert row.versions == {"ar": {"title": ARABIC_TITLE, "body": ARABIC_BODY}}


def test_every_mistake_of_the_original_and_its_versions_is_listed_and_nothing_is_lost(
    browser, small_estate
):
    browser.sign_in_staff("mairie")
    fields = _news_form(browser) | {
        "title": "",
        "title_en": "x" * 141,
        "body_en": "Tuesday morning.",
        "title_ar": ARABIC_TITLE,
    }
    refused = browser.post("/staff/news/preview", fields, form_page="/staff/news/new")
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 422
    summary = re.search(r'class="error-summary".*?</ul>', page, re.DOTALL).group(0)
    assert "3 things to correct" in summary
    assert '<a href="#title-error">Give the news a title.</a>' in summary
    assert (
        '<a href="#title_en-error">English version: The title is too long '
        "(140 characters at most).</a>" in summary
    )
    assert '<a href="#body_ar-error">Arabic version: Write the text of the news.</a>' in summary
    # What was typed is kept, and the versions with a mistake are open.
    assert f'value="{ARABIC_TITLE}"' in page and "Tuesday morning.</textarea>" in page
    assert page.count('<details class="version" open>') == 2


def test_a_change_shows_the_stored_versions_again(browser, small_estate, engine):
    with writing(engine) as connection:
        news_id = news.publish(
            connection,
            small_estate.publishers["town_hall"],
            "Fête",
            "Samedi.",
            "building",
            small_estate.building_a,
            versions={"ar": {"title": "حفلة", "body": "السبت."}},
        )
    browser.sign_in_staff("mairie")
    page = browser.get(f"/staff/news/{news_id}/change").get_data(as_text=True)
    assert re.search(r'name="language" value="fr" checked', page)
    assert 'value="حفلة"' in page and "السبت.</textarea>" in page


def _tenant(app, code: str, locale: str) -> Browser:
    tenant = Browser(app.test_client())
    tenant.activate(code, locale=locale)
    return tenant


def test_each_tenant_reads_their_language_else_the_original_said_as_such(app, small_estate, engine):
    place = small_estate
    today = utcnow().date()
    with writing(engine) as connection:
        news_id = news.publish(
            connection,
            place.publishers["town_hall"],
            "Collecte des encombrants",
            "Mardi matin.",
            "building",
            place.building_a,
            versions={"ar": {"title": ARABIC_TITLE, "body": ARABIC_BODY}},
        )
        works.announce(
            connection,
            "building",
            place.building_a,
            "Ascenseur en panne",
            "Hall A",
            today,
            today + timedelta(days=3),
            "Prenez l'escalier.",
            versions={"ar": {"title": "المصعد معطل", "location": "المدخل A"}},
        )
        deals.publish(
            connection,
            place.publishers["shop"],
            "Pain offert",
            "Le lundi.",
            today,
            today + timedelta(days=5),
            [place.residence_id],
            versions={"ar": {"title": "خبز مجاني", "description": "يوم الاثنين."}},
        )
        partners.add(
            connection,
            None,
            name="Centre social",
            category="social",
            description="Aide aux démarches.",
            scope_kind="city",
            scope_ref="Marseille",
            versions={"ar": {"description": "مساعدة في الإجراءات."}},
        )
    in_arabic = _tenant(app, place.codes["A-01"], "ar")
    home = in_arabic.get("/").get_data(as_text=True)
    assert f'<h3 lang="ar" dir="rtl"><a href="/news/{news_id}">{ARABIC_TITLE}</a></h3>' in home
    assert '<h3 lang="ar" dir="rtl">المصعد معطل</h3>' in home
    # The version has no action of its own: the French one is shown and said to be French.
    assert '<dd lang="fr" dir="ltr">Prenez l&#39;escalier.</dd>' in home
    assert "هذا النص باللغة الفرنسية" in home
    item = in_arabic.get(f"/news/{news_id}").get_data(as_text=True)
    assert f'<h1 id="page-title" lang="ar" dir="rtl">{ARABIC_TITLE}</h1>' in item
    assert '<div class="prose" lang="ar" dir="rtl"><p>' + ARABIC_BODY in item
    assert '<h2 class="card__title" lang="ar" dir="rtl">خبز مجاني</h2>' in in_arabic.get(
        "/deals"
    ).get_data(as_text=True)
    assert 'lang="ar" dir="rtl">مساعدة في الإجراءات.</p>' in in_arabic.get("/services").get_data(
        as_text=True
    )

    in_english = _tenant(app, place.codes["A-02"], "en")
    for address in ("/", f"/news/{news_id}", "/deals", "/services"):
        page = in_english.get(address).get_data(as_text=True)
        assert "Not yet translated: this text is in French." in page, address
    home = in_english.get("/").get_data(as_text=True)
    assert (
        f'<h3 lang="fr" dir="ltr"><a href="/news/{news_id}">Collecte des encombrants</a></h3>'
        in home
    )
    assert '<h3 lang="fr" dir="ltr">Ascenseur en panne</h3>' in home
