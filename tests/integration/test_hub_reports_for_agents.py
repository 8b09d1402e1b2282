"""At the hub, the landlord's agent sees enough to act: references unique across the hub,
the start of each description, who filed a report and how to reach them (for the agents
of its building only), and the reports a duplicate may repeat, to pick."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from tests.conftest import Browser
from tests.support.hub_reports import arrived

AICHA = {"name": "Aïcha Benali", "locale": "ar", "contact": "06 98 76 54 32 après 18 h"}
LONG = (
    "L'ascenseur s'arrête entre le deuxième et le troisième étage depuis lundi matin, "
    "les voisins âgés ne peuvent plus sortir de chez eux sans aide."
)


@pytest.fixture
def console(hub) -> Browser:
    return Browser(hub.test_client())


@pytest.fixture
def filed(engine, small_estate) -> dict[str, str]:
    """Number 1 from each building's box, and more open reports in building A."""
    with engine.begin() as connection:
        return {
            "a1": arrived(
                connection,
                small_estate,
                1,
                "A",
                timedelta(days=5),
                description=LONG,
                household=AICHA,
            ),
            "b1": arrived(connection, small_estate, 1, "B", timedelta(days=4)),
            "a2_old_box": arrived(connection, small_estate, 2, "A", timedelta(days=3)),
            "a3_solved": arrived(
                connection, small_estate, 3, "A", timedelta(days=2), [("resolved", 1)]
            ),
            "a4": arrived(connection, small_estate, 4, "A", timedelta(days=1)),
        }


def _rows(page: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]


def test_the_same_number_from_two_boxes_shows_as_two_references_with_their_descriptions(
    console, filed
):
    console.sign_in_staff("agent")
    page = unescape(console.get("/staff/reports").get_data(as_text=True))
    references = re.findall(r"Report no\. ([A-Z0-9]+-\d+)</a>", page)
    assert references == ["BA-1", "BB-1", "BA-2", "BA-3", "BA-4"]
    (first,) = [row for row in _rows(page) if "BA-1<" in row]
    shown = re.search(r'<td dir="auto">([^<]*)</td>', first)[1]
    assert shown.endswith("…") and LONG.startswith(shown[:-1].rstrip())
    assert (
        shown
        == "L'ascenseur s'arrête entre le deuxième et le troisième étage depuis lundi matin, les…"
    )
    assert LONG in unescape(console.get(f"/staff/reports/{filed['a1']}").get_data(as_text=True))


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("bb-1", ["b1"]), ("BA 1", ["a1"]), ("1", ["a1", "b1"]), ("ZZ-1", []), ("lift", [])],
)
def test_staff_find_a_report_by_the_reference_a_tenant_reads_out(console, filed, typed, kept):
    console.sign_in_staff("agent")
    page = console.get("/staff/reports", query_string={"reference": typed}).get_data(as_text=True)
    found = re.findall(r'href="/staff/reports/(\w+)"', page)
    assert found == [filed[key] for key in kept]
    assert f'value="{typed}"' in page


def test_the_agent_of_the_building_sees_who_filed_it_and_how_to_reach_them(console, filed):
    console.sign_in_staff("agent")
    page = unescape(console.get(f"/staff/reports/{filed['a1']}").get_data(as_text=True))
    assert "Aïcha Benali" in page and "06 98 76 54 32 après 18 h" in page
    assert "A-01" in page and '<span lang="ar">العربية</span>' in page
    # Beside the reply form, so the answer goes out in the household's language.
    reply = page[page.index('id="reply-title"') :]
    assert "Writes in Arabic. Answer in Arabic if you can." in reply


def test_a_report_from_an_older_box_says_what_is_not_known(console, filed):
    console.sign_in_staff("agent")
    page = console.get(f"/staff/reports/{filed['a2_old_box']}").get_data(as_text=True)
    assert 'id="household-title"' in page and "Not known" in page
    assert "Writes in" not in page


def test_staff_who_do_not_handle_the_building_s_reports_never_see_the_household(console, filed):
    console.sign_in_staff("gardien")
    page = console.get(f"/staff/reports/{filed['a1']}").get_data(as_text=True)
    assert page.count("Report no. BA-1") >= 1
    assert "Aïcha" not in page and "06 98 76" not in page and "household-title" not in page
    console.post("/staff/sign-out", form_page="/staff/")
    console.sign_in_staff("agent.b")
    assert console.get(f"/staff/reports/{filed['a1']}").status_code == 404
    own = console.get(f"/staff/reports/{filed['b1']}").get_data(as_text=True)
    assert 'id="household-title"' in own


def test_through_the_api_only_the_agents_of_the_building_get_the_household(hub_staff, filed):
    detail = f"/staff/reports/{filed['a1']}"
    agent = hub_staff("agent").get(detail).get_json()
    assert agent["reference"] == "BA-1"
    assert agent["household"] == {
        "name": "Aïcha Benali",
        "locale": "ar",
        "contact": "06 98 76 54 32 après 18 h",
        "dwelling_reference": "A-01",
        "staircase": "1",
        "floor": 1,
    }
    assert hub_staff("gardien").get(detail).get_json()["household"] is None
    assert hub_staff("agent.b").get(detail).status_code == 404
    listed = hub_staff("agent").get("/staff/reports?reference=bb1").get_json()
    assert [r["reference"] for r in listed["reports"]] == ["BB-1"]
    assert all("household" not in r for r in listed["reports"])


def test_already_reported_offers_the_building_s_other_open_reports_to_pick(console, filed):
    console.sign_in_staff("agent")
    page = console.get(f"/staff/reports/{filed['a4']}").get_data(as_text=True)
    offered = re.findall(r'name="duplicate_of" value="(\w+)"', page)
    # Same kind first (all of building A are lifts here), the most recent first; never
    # itself, a solved one or one of another building.
    assert offered == [filed["a2_old_box"], filed["a1"]]
    assert "BA-1</strong>" in page and "L&#39;ascenseur s&#39;arrête" in page
    moved = console.post(
        f"/staff/reports/{filed['a4']}/status",
        {"status": "duplicate", "duplicate_of": filed["a1"], "message": "Déjà signalé."},
        form_page=f"/staff/reports/{filed['a4']}",
    )
    assert moved.status_code == 302
    timeline = console.get(f"/staff/reports/{filed['a4']}").get_data(as_text=True)
    assert "Same problem as report no. BA-1." in timeline


def test_an_original_that_is_not_another_report_of_the_building_is_refused_in_words(console, filed):
    console.sign_in_staff("agent")
    page = f"/staff/reports/{filed['a4']}"
    for original in (filed["b1"], filed["a4"], "", "nope"):
        refused = console.post(
            f"{page}/status",
            {"status": "duplicate", "duplicate_of": original, "message": "Déjà signalé."},
            form_page=page,
        )
        assert refused.status_code == 422, original
        html = unescape(refused.get_data(as_text=True))
        assert 'id="duplicate_of-error"' in html
        assert "Déjà signalé." in html
