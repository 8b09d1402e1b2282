"""Neighbours' journeys in the running demo estate: a recipe with its photo crossing to
the other building, a family coming to an event, a message then a block, a post flagged
by three homes and hidden by the caretaker, one's data downloaded then one's profile
erased. Each person uses a browser of their own, on their building's box."""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.demo_box import DemoEstate
from tests.browser.households import Household, Households
from tests.browser.staff import sign_in_staff
from tests.browser.tenant import activate, at, sign_in_tenant
from tests.browser.words import said, said_plural

pytestmark = pytest.mark.browser

# A post crosses box → hub → box in about a second; the margin is for a loaded machine.
CROSSING_SECONDS = 30


@pytest.fixture(scope="module")
def households_b(demo: DemoEstate) -> Households:
    """The households of building B, on the second box."""
    return Households.from_logins(demo.logins, portal=demo.logins["boxes"][1]["url"])


def _opened(new_context: Callable[..., BrowserContext], url: str | None = None) -> Page:
    return new_context(url).new_page()


def _box_b(demo: DemoEstate) -> str:
    return demo.logins["boxes"][1]["url"].rstrip("/")


def _photo(folder: Path) -> Path:
    path = folder / "tajine.png"
    Image.new("RGB", (900, 600), (190, 90, 40)).save(path, "PNG")
    return path


def _write_post(page: Page, category: str, scope: str, title: str, text: str, photo=None):
    """Fill the post form and send it, accepting the charter the first time."""
    page.goto("/board/new")
    page.get_by_role("group", name=said(page, "What is it about?")).get_by_text(
        said(page, category), exact=True
    ).click()
    page.get_by_role("group", name=said(page, "Who will see it")).get_by_text(
        said(page, scope), exact=True
    ).click()
    page.get_by_label(said(page, "Title"), exact=True).fill(title)
    page.get_by_label(said(page, "Text"), exact=True).fill(text)
    if photo is not None:
        page.get_by_label(said(page, "Photo (optional)")).set_input_files(str(photo))
    charter = page.get_by_label(said(page, "I have read the charter and I accept it"))
    if charter.count():
        charter.check()
    page.get_by_role("button", name=said(page, "Put it on the board")).click()
    page.wait_for_url(lambda url: urlsplit(url).path.startswith("/board/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_a_recipe_with_its_photo_reaches_a_neighbour_of_the_other_building(
    new_context, demo: DemoEstate, households: Households, households_b: Households, tmp_path
):
    cook = _opened(new_context)
    activate(cook, households.take(with_profiles=False), "Hafsa")
    _write_post(
        cook,
        "Recipes",
        "The whole residence",
        "Tajine aux citrons confits",
        "Poulet, citrons confits, olives violettes. Deux heures à feu doux.",
        _photo(tmp_path),
    )

    neighbour = _opened(new_context, _box_b(demo))
    activate(neighbour, households_b.take(with_profiles=False), "Gérard")
    card = neighbour.get_by_role("article").filter(has_text="Tajine aux citrons confits")
    deadline = time.monotonic() + CROSSING_SECONDS
    while True:
        neighbour.goto("/board")
        if card.count() or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    expect(card).to_be_visible()
    expect(card).to_contain_text("Hafsa")
    picture = card.locator("img")
    assert picture.evaluate("img => img.complete && img.naturalWidth > 0"), "no photo shown"
    card.get_by_role("link").click()
    expect(neighbour.get_by_text("Poulet, citrons confits")).to_be_visible()


def test_a_family_says_it_comes_to_the_neighbours_party(
    new_context, demo: DemoEstate, households_b: Households
):
    page = _opened(new_context, _box_b(demo))
    activate(page, households_b.take(with_profiles=False), "Nadia")
    page.goto("/events")
    page.get_by_role("link", name="Fête des voisins").first.click()
    page.wait_for_url(lambda url: urlsplit(url).path.startswith("/events/"))
    page.get_by_label(said(page, "How many people will come, with you?")).select_option("3")
    page.get_by_role("button", name=said(page, "I will come")).click()
    expect(
        page.get_by_text(
            said_plural(
                page,
                "You said you would come, %(num)d person in all.",
                "You said you would come, %(num)d people in all.",
                3,
            )
        )
    ).to_be_visible()
    calendar = page.request.get(
        page.get_by_role("link", name=said(page, "Add to my calendar")).get_attribute("href")
    )
    assert calendar.ok and "BEGIN:VEVENT" in calendar.text()


def test_a_message_is_read_and_its_sender_blocked(
    new_context, demo: DemoEstate, households_b: Households
):
    writer = _opened(new_context, _box_b(demo))
    activate(writer, households_b.take(with_profiles=False), "Kevin")
    writer.goto("/board")
    writer.get_by_role("link", name="Clés trouvées dans le hall").click()
    writer.get_by_role("link", name=said(writer, "Write to %(name)s", name="Aïcha")).click()
    writer.get_by_label(said(writer, "Your message")).fill("Ce sont peut-être les miennes !")
    writer.get_by_label(said(writer, "I have read the charter and I accept it")).check()
    writer.get_by_role("button", name=said(writer, "Send the message")).click()
    expect(writer.get_by_text("Ce sont peut-être les miennes !")).to_be_visible()

    aicha_home = next(h for h in households_b.all if h.dwelling == "B1-401")
    reader = _opened(new_context, _box_b(demo))
    sign_in_tenant(reader, aicha_home, aicha_home.member["locale"])
    reader.goto("/messages")
    reader.get_by_role("link", name="Kevin").click()
    expect(reader.get_by_text("Ce sont peut-être les miennes !")).to_be_visible()
    reader.get_by_role("button", name=said(reader, "Block %(name)s", name="Kevin")).click()
    expect(
        reader.get_by_text(
            said(reader, "This person can no longer write to you. They are not told.")
        )
    ).to_be_visible()

    writer.reload()
    expect(
        writer.get_by_text(said(writer, "You can no longer write in this conversation."))
    ).to_be_visible()
    expect(writer.get_by_label(said(writer, "Your answer"))).to_have_count(0)


def test_three_homes_flag_a_post_and_the_caretaker_hides_it(
    new_context, demo: DemoEstate, households_b: Households
):
    author = _opened(new_context, _box_b(demo))
    activate(author, households_b.take(with_profiles=False), "Roger")
    _write_post(author, "Giving and small ads", "My building", "Vends scooter", "300 euros.")
    post_url = author.url
    for name in ("Inès", "Paul", "Léa"):
        flagger = _opened(new_context, _box_b(demo))
        activate(flagger, households_b.take(with_profiles=False), name)
        flagger.goto(post_url)
        flagger.get_by_role("link", name=said(flagger, "Flag this post")).click()
        flagger.get_by_role("group", name=said(flagger, "Why?")).get_by_text(
            said(flagger, "Selling or advertising"), exact=True
        ).click()
        flagger.get_by_role("button", name=said(flagger, "Send to the caretaker")).click()
        flagger.wait_for_url(lambda url: urlsplit(url).path.startswith("/board"))
    response = flagger.goto(post_url)
    assert response is not None and response.status == 404, "the post is still shown"
    author.goto(post_url)
    expect(
        author.get_by_text(
            said(
                author,
                "Your neighbours flagged this post: it is hidden from them until the "
                "caretaker looks at it.",
            )
        )
    ).to_be_visible()

    caretaker = next(
        m
        for m in demo.logins["staff"]
        if m["role"] == "caretaker" and m["url"].rstrip("/") == _box_b(demo)
    )
    console = _opened(new_context, caretaker["url"])
    sign_in_staff(console, caretaker, "fr")
    console.goto("/staff/moderation")
    item = console.get_by_role("region").filter(has_text="Vends scooter")
    item.get_by_text(said(console, "Hide it"), exact=True).click()
    item.get_by_label(said(console, "Why (the author will read it; not needed to leave it)")).fill(
        "Les ventes ne sont pas permises sur le panneau."
    )
    item.get_by_role("button", name=said(console, "Decide")).click()
    expect(
        console.get_by_text(said(console, "Done. The author is told what you decided and why."))
    ).to_be_visible()

    author.goto("/notifications")
    expect(author.get_by_text("Les ventes ne sont pas permises sur le panneau.")).to_be_visible()


def test_a_tenant_downloads_their_data_then_erases_their_profile(
    new_context, demo: DemoEstate, households_b: Households
):
    household: Household = households_b.take(with_profiles=False)
    page = _opened(new_context, _box_b(demo))
    activate(page, household, "Colette")
    _write_post(page, "Information", "My building", "Vide-grenier", "Dimanche dans la cour.")
    page.goto("/me")
    with page.expect_download() as download:
        page.get_by_role("link", name=said(page, "Download my data")).click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    data = json.loads(archive.read("my-data.json"))
    assert data["profile"]["display_name"] == "Colette"
    assert [p["title"] for p in data["posts"]] == ["Vide-grenier"]

    page.get_by_role(
        "group", name=said(page, "What becomes of what I wrote (posts, answers, messages)?")
    ).get_by_text(said(page, "Keep it, without my name"), exact=True).click()
    page.get_by_label(said(page, "I understand: my profile cannot come back")).check()
    page.get_by_role("button", name=said(page, "Erase my profile")).click()
    page.wait_for_url(at("/welcome"))
    expect(
        page.get_by_text(said(page, "Your profile is erased. Goodbye, and thank you."))
    ).to_be_visible()

    other = _opened(new_context, _box_b(demo))
    activate(other, households_b.take(with_profiles=False), "Simone")
    other.goto("/board")
    card = other.get_by_role("article").filter(has_text="Vide-grenier")
    expect(card).to_contain_text(said(other, "A neighbour"))
    expect(card).not_to_contain_text("Colette")
