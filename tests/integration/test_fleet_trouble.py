"""Operators at the hub see the trouble on each box's link, read what was set aside, and
decide each conflict: with the form's token, once, told the outcome in their language."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select, update

from core.domain import people
from core.domain.clock import utcnow
from core.storage.schema import boxes, conflicts, reports
from link.inbox import at_hub_receive, keep_aside
from tests.conftest import Browser
from tests.support import hub_messages as sent
from tests.support.conflicts import UP_A, conflict, report_of_box_a

BOX_PAGE = "/staff/fleet/box-a"


@pytest.fixture
def operator(hub) -> Browser:
    console = Browser(hub.test_client())
    console.sign_in_staff("operateur")
    return console


@pytest.fixture
def real(small_estate) -> bytes:
    """Box A's own report #1."""
    return report_of_box_a(small_estate, number=2)


@pytest.fixture
def disputed(engine, small_estate, hub, real) -> int:
    """A conflict under box A's #1: the box's own report, after someone else's."""
    return conflict(engine, small_estate, real)


def _kept(engine, *payloads: bytes) -> None:
    with engine.begin() as connection:
        for number, payload in enumerate(payloads, 1):
            keep_aside(connection, UP_A, f"report.filed #{number}: refused", payload, "box-a")


def _decide(console: Browser, conflict_id: int, decision: str, **kwargs):
    return console.post(
        f"{BOX_PAGE}/conflicts/{conflict_id}", {"decision": decision}, form_page=BOX_PAGE, **kwargs
    )


def _page(response) -> str:
    return response.get_data(as_text=True)


def _decided(engine) -> list:
    with engine.connect() as connection:
        return list(connection.execute(select(conflicts.c.decision)).scalars())


def test_the_fleet_page_shows_each_box_s_trouble_and_which_are_stuck(operator, engine, disputed):
    _kept(engine, b"{}")
    page = _page(operator.get("/staff/fleet"))
    stuck = page[page.index('id="stuck-title"') : page.index("<table")]
    assert f'href="{BOX_PAGE}"' in stuck and "box-b" not in stuck
    assert "A message waits for your decision" in stuck
    assert "1 conflict to decide" in page and "1 message set aside" in page
    assert re.search(r"Last error [^<:]+ ago: <code[^>]*>report.filed #1: refused</code>", page)
    assert re.search(r'<th scope="row"><a href="/staff/fleet/box-b">', page)


def test_a_box_s_messages_set_aside_are_shown_as_text_newest_first(operator, engine):
    hostile = b'{"body":"<script>alert(1)</script>"}' + b" " * 5000
    _kept(engine, b"{}", hostile)
    page = _page(operator.get(BOX_PAGE))
    reasons = re.findall(r"report\.filed #(\d): refused", page)
    assert reasons == ["2", "1"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "Only the first 4 kB of 5 kB are shown." in page


def test_messages_set_aside_come_a_page_at_a_time(operator, engine):
    _kept(engine, *[b"{}"] * 25)
    first = _page(operator.get(BOX_PAGE))
    older = re.search(r'href="(/staff/fleet/box-a\?before=[^"#]+)#set-aside"', first)
    assert older and first.count("refused</code>") == 20
    rest = _page(operator.get(older[1].replace("&amp;", "&")))
    assert rest.count("refused</code>") == 5 and "Back to the newest" in rest
    for place in ("yesterday", "20261201000000000000-1" + "0" * 30):
        assert operator.get(f"{BOX_PAGE}?before={place}").status_code == 422


def test_an_operator_applies_the_box_s_message(operator, engine, disputed, real):
    page = _page(operator.get(BOX_PAGE))
    assert "Message number 1" in page and "Applied." in page
    assert "Bloqué, signalement 1" in page
    answer = _decide(operator, disputed, "apply")
    assert answer.status_code == 302 and answer.headers["Location"] == BOX_PAGE
    after = _page(operator.get(BOX_PAGE))
    assert "The box&#39;s message under number 1 is applied." in after
    assert "No conflict waits for a decision." in after
    assert sent.count(engine, reports) == 2 and _decided(engine) == ["apply"]
    # The box's copy is now acknowledged without a dispute: the box deletes it.
    receipt = at_hub_receive(engine, [(UP_A, real)])
    assert json.loads(receipt.replies[0][1])["body"] == {"applied": 1}


def test_an_operator_sets_the_box_s_message_aside(operator, engine, disputed):
    answer = _decide(operator, disputed, "set_aside")
    assert answer.headers["Location"] == BOX_PAGE
    assert "is set aside, never to be applied." in _page(operator.get(BOX_PAGE))
    assert sent.count(engine, reports) == 1 and _decided(engine) == ["set_aside"]
    audit = _page(operator.get("/staff/audit"))
    assert "Set aside a box&#39;s message kept in a conflict" in audit


def test_a_decision_without_the_form_s_token_changes_nothing(operator, engine, disputed):
    answer = operator.client.post(f"{BOX_PAGE}/conflicts/{disputed}", data={"decision": "apply"})
    assert answer.status_code == 400
    assert sent.count(engine, reports) == 1 and _decided(engine) == [None]


def test_a_message_that_cannot_be_applied_is_explained_in_french(
    operator, engine, small_estate, hub
):
    # Box A's second message names building B, which box A does not serve.
    conflict_id = conflict(engine, small_estate, report_of_box_a(small_estate, "b"))
    with engine.begin() as connection:
        people.set_staff_locale(connection, small_estate.staff["operateur"], "fr")
    _decide(operator, conflict_id, "apply")
    page = _page(operator.get(BOX_PAGE))
    assert "n’a pas pu être appliqué" in page and "not served by box box-a" in page
    assert _decided(engine) == [None]


def test_a_conflict_decided_already_or_unknown_gets_a_clear_message(operator, engine, disputed):
    _decide(operator, disputed, "set_aside")
    again = _decide(operator, disputed, "apply")
    assert again.status_code == 302
    assert "was already decided: nothing changed." in _page(operator.get(BOX_PAGE))
    unknown = _decide(operator, disputed + 1, "apply")
    assert unknown.status_code == 302
    assert "This conflict does not exist." in _page(operator.get(BOX_PAGE))
    assert _decide(operator, 10**30, "apply").status_code == 404
    assert sent.count(engine, reports) == 1 and _decided(engine) == ["set_aside"]


def test_an_unknown_box_has_no_page(operator):
    assert operator.get("/staff/fleet/box-z").status_code == 404


def test_only_operators_see_a_box_s_link_and_decide(hub, engine, disputed):
    agent = Browser(hub.test_client())
    agent.sign_in_staff("agent")
    assert agent.get(BOX_PAGE).status_code == 403
    assert _decide(agent, disputed, "apply").status_code == 403
    assert _decided(engine) == [None]
    nobody = Browser(hub.test_client())
    assert nobody.get(BOX_PAGE).headers["Location"].startswith("/staff/sign-in")


def test_a_box_has_no_page_of_its_own_link(browser, small_estate):
    browser.sign_in_staff("operateur")
    assert browser.get(BOX_PAGE).status_code == 403


def test_a_box_brought_up_to_date_says_when(operator, engine):
    assert "Brought up to date" not in _page(operator.get(BOX_PAGE))
    with engine.begin() as connection:
        connection.execute(
            update(boxes).where(boxes.c.id == "box-a").values(brought_up_to_date_at=utcnow())
        )
    assert "Brought up to date" in _page(operator.get(BOX_PAGE))
