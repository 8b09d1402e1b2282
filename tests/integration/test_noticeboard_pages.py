"""The noticeboard, messages and notifications through the portal's pages, without
JavaScript: what a neighbour types is never lost, and each sees what is theirs to see."""

import html
import io
import re

from PIL import Image

from core.domain import noticeboard
from tests.browser.words import translated
from tests.conftest import Browser


def _png() -> tuple[io.BytesIO, str]:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 120, 30)).save(out, "PNG")
    out.seek(0)
    return out, "tajine.png"


def _post(browser, **fields):
    data = {"category": "recipes", "scope": "building", "title": "", "body": "", **fields}
    return browser.post("/board", data, form_page="/board/new", content_type="multipart/form-data")


def test_a_first_post_keeps_the_draft_and_photo_until_the_charter_is_accepted(
    browser, other_browser, small_estate
):
    browser.activate(small_estate.codes["A-01"], "Odette")
    form = browser.get("/board/new").get_data(as_text=True)
    assert 'name="charter"' in form
    refused = _post(
        browser, title="Tajine aux olives", body="Ma recette du dimanche.", photos=[_png()]
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="charter-error"' in page
    assert 'value="Tajine aux olives"' in page and "Ma recette du dimanche." in page
    photo_id = re.search(r'name="kept_photo" value="(\w+)"', page).group(1)

    sent = _post(
        browser,
        title="Tajine aux olives",
        body="Ma recette du dimanche.",
        charter="accepted",
        kept_photo=photo_id,
    )
    assert sent.status_code == 302
    post_page = browser.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Tajine aux olives" in post_page and f"/photos/{photo_id}.jpg" in post_page
    assert 'name="charter"' not in browser.get("/board/new").get_data(as_text=True)

    other_browser.activate(small_estate.codes["A-02"], "Karim")
    board = other_browser.get("/board").get_data(as_text=True)
    assert "Tajine aux olives" in board and "Odette" in board
    assert other_browser.get(f"/photos/{photo_id}.jpg").status_code == 200


def test_a_building_post_is_not_on_the_board_of_the_other_building(app, browser, small_estate):
    browser.activate(small_estate.codes["A-01"], "Odette")
    _post(browser, title="Clés trouvées", body="Dans le hall A.", charter="accepted")
    _post(
        browser,
        category="parties",
        scope="residence",
        title="Fête des voisins",
        body="Samedi dans la cour.",
    )
    in_b = Browser(app.test_client())
    in_b.activate(small_estate.codes["B-01"], "Samia")
    board = in_b.get("/board").get_data(as_text=True)
    assert "Fête des voisins" in board and "Clés trouvées" not in board
    assert "Clés trouvées" not in in_b.get("/board?category=recipes").get_data(as_text=True)


def test_an_answer_tells_the_author_with_the_count_on_every_page(
    browser, other_browser, small_estate
):
    browser.activate(small_estate.codes["A-01"], "Odette")
    post_url = _post(
        browser, title="Qui peut m'aider ?", body="Pour porter un meuble.", charter="accepted"
    ).headers["Location"]
    other_browser.activate(small_estate.codes["A-02"], "Karim")
    refused = other_browser.post(
        f"{post_url}/comments", {"body": "Moi, samedi."}, form_page=post_url
    )
    assert refused.status_code == 422
    assert "Moi, samedi." in refused.get_data(as_text=True)
    answered = other_browser.post(
        f"{post_url}/comments", {"body": "Moi, samedi.", "charter": "accepted"}, form_page=post_url
    )
    assert answered.status_code == 302
    home = browser.get("/").get_data(as_text=True)
    assert re.search(r'class="badge"[^>]*>1<', home)
    listed = browser.get("/notifications").get_data(as_text=True)
    # What people wrote keeps its own direction inside the sentence: set apart (<bdi>).
    told = translated(
        "fr",
        "%(name)s answered your post “%(title)s”.",
        name="<bdi>Karim</bdi>",
        title="<bdi>Qui peut m'aider ?</bdi>",
    )
    assert told in html.unescape(listed)
    assert not re.search(r'class="badge"', browser.get("/board").get_data(as_text=True))


def test_a_message_does_not_show_the_flat_and_a_blocked_sender_cannot_write_again(
    browser, other_browser, small_estate, engine
):
    browser.activate(small_estate.codes["A-01"], "Odette")
    post_url = _post(
        browser, title="Je donne une table", body="Venez la chercher.", charter="accepted"
    ).headers["Location"]
    other_browser.activate(small_estate.codes["A-02"], "Karim")
    odette_id = re.search(
        r"/messages/new\?to=(\w+)", other_browser.get(post_url).get_data(as_text=True)
    ).group(1)
    written = other_browser.post(
        "/messages",
        {"to": odette_id, "body": "Je la prends !", "charter": "accepted"},
        form_page=f"/messages/new?to={odette_id}",
    )
    conversation_url = written.headers["Location"].split("#")[0]
    page = browser.get(conversation_url).get_data(as_text=True)
    assert "Je la prends !" in page and "Karim" in page
    assert "A-02" not in page
    karim_id = re.search(r"/people/(\w+)/block", page).group(1)
    browser.post(
        f"/people/{karim_id}/block",
        {"back": conversation_url.rsplit("/", 1)[1]},
        form_page=conversation_url,
    )
    again = other_browser.post(
        conversation_url, {"body": "Vous êtes là ?"}, form_page=conversation_url
    )
    assert again.status_code == 422
    assert "Vous êtes là ?" in again.get_data(as_text=True)


def test_three_homes_flag_a_post_and_the_caretaker_restores_it(app, browser, small_estate):
    browser.activate(small_estate.codes["A-01"], "Odette")
    post_url = _post(
        browser,
        category="giving",
        scope="residence",
        title="Vends canapé",
        body="50 euros.",
        charter="accepted",
    ).headers["Location"]
    post_id = post_url.rsplit("/", 1)[1]
    for reference, name in (("A-02", "Karim"), ("A-03", "Lucien"), ("A-02", "Yanis")):
        neighbour = Browser(app.test_client())
        neighbour.activate(small_estate.codes[reference], name)
        flagged = neighbour.post(
            f"/flag/post/{post_id}", {"reason": "selling"}, form_page=f"/flag/post/{post_id}"
        )
        assert flagged.status_code == 302
    # Karim and Yanis share a home: two homes only, the post stays.
    assert neighbour.get(post_url).status_code == 200
    in_b = Browser(app.test_client())
    in_b.activate(small_estate.codes["B-01"], "Samia")
    in_b.post(f"/flag/post/{post_id}", {"reason": "selling"}, form_page=f"/flag/post/{post_id}")
    assert neighbour.get(post_url).status_code == 404
    flagged_notice = translated(
        "fr",
        "Your neighbours flagged this post: it is hidden from them until the caretaker "
        "looks at it.",
    )
    assert flagged_notice in html.unescape(browser.get(post_url).get_data(as_text=True))

    caretaker = Browser(app.test_client())
    caretaker.sign_in_staff("gardien")
    queue = caretaker.get("/staff/moderation").get_data(as_text=True)
    assert "Vends canapé" in queue and "Flagged by 3 homes" in queue
    refused = caretaker.post(
        f"/staff/moderation/post/{post_id}",
        {"decision": "restore", "reason": ""},
        form_page="/staff/moderation",
    )
    assert refused.status_code == 422
    decided = caretaker.post(
        f"/staff/moderation/post/{post_id}",
        {"decision": "restore", "reason": "Petite annonce entre voisins, elle peut rester."},
        form_page="/staff/moderation",
    )
    assert decided.status_code == 302
    assert neighbour.get(post_url).status_code == 200
    told = browser.get("/notifications").get_data(as_text=True)
    assert "Petite annonce entre voisins" in told


def test_a_busy_board_shows_its_older_posts_a_page_further(browser, small_estate, fill_board):
    browser.activate(small_estate.codes["A-01"], "Odette")
    titles = fill_board("Odette", noticeboard.PAGE_SIZE + 2)
    older = translated("fr", "Older posts")

    def shown(page: str) -> list[str]:
        return [title for title in titles if f">{title}</a>" in page]

    first = browser.get("/board").get_data(as_text=True)
    assert shown(first) == titles[: noticeboard.PAGE_SIZE] and older in first
    further = re.search(r'href="(/board\?before=[^"]+)"', first).group(1)

    second = browser.get(html.unescape(further)).get_data(as_text=True)
    assert shown(second) == titles[noticeboard.PAGE_SIZE :]
    assert older not in second and translated("fr", "Newest posts") in second

    refused = browser.get("/board?before=yesterday")
    assert refused.status_code == 422
    assert translated("fr", "This page does not exist.") in html.unescape(
        refused.get_data(as_text=True)
    )
