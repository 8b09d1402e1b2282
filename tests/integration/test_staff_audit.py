"""Operators read the audit log: who did what, on what, and when."""

import ast
from collections.abc import Iterator
from pathlib import Path

from core.domain import audit, deals, moderation, news, partners, works
from tests.conftest import Browser
from webui.staff.audit_log import ACTION_LABELS, TARGET_LABELS


def test_the_operator_sees_staff_actions_with_who_what_and_target(
    browser, other_browser, small_estate, engine
):
    other_browser.sign_in_staff("agent")
    page = f"/staff/dwellings/{small_estate.dwellings['A-02']}/move-out"
    other_browser.post(page, form_page=page)
    browser.sign_in_staff("operateur")
    log = browser.get("/staff/audit")
    html = log.get_data(as_text=True)
    assert log.status_code == 200
    assert "<h1" in html
    assert "Agent" in html
    assert "Dwelling A-02" in html
    assert "dwelling:A-02" not in html
    assert "Recorded a household moving out" in html
    assert "/staff/audit" in browser.get("/staff/").get_data(as_text=True)


def test_details_read_in_words_and_empty_ones_are_left_out(browser, small_estate, engine):
    with engine.begin() as connection:
        audit.record(
            connection,
            small_estate.staff["agent"],
            "report.move",
            "report:7",
            status="scheduled",
            scheduled_for="2026-12-24",
            duplicate_of=None,
        )
    browser.sign_in_staff("operateur")
    html = browser.get("/staff/audit").get_data(as_text=True)
    assert "Report no. 7" in html
    assert "New status" in html and "Visit planned" in html
    assert "Planned for" in html and "2026-12-24" in html
    assert "duplicate_of" not in html and "None" not in html
    assert "report:7" not in html


def test_the_hub_says_its_log_is_the_hub_s(hub, small_estate):
    console = Browser(hub.test_client())
    console.sign_in_staff("operateur")
    html = console.get("/staff/audit").get_data(as_text=True)
    assert "actions of staff at the hub" in html
    assert "on this box" not in html


def test_unknown_actions_are_shown_by_their_code(browser, small_estate, engine):
    with engine.begin() as connection:
        audit.record(connection, None, "box.restart", "box")
    browser.sign_in_staff("operateur")
    assert "box.restart" in browser.get("/staff/audit").get_data(as_text=True)


def test_only_operators_read_the_audit_log(browser, small_estate):
    browser.sign_in_staff("agent")
    assert browser.get("/staff/audit").status_code == 403
    assert "/staff/audit" not in browser.get("/staff/").get_data(as_text=True)


def _audit_calls() -> Iterator[list[ast.expr]]:
    """The arguments of every ``audit.record(…)`` call in the code."""
    root = Path(__file__).parents[2]
    for folder in ("core", "webui", "link", "provisioning", "appliance"):
        for path in (root / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "record"
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "audit"
                ):
                    yield node.args


def _recorded_actions() -> set[str]:
    """Every action the code writes in the audit log: those written as they are, the
    publishing lifecycle's and the caretakers' decisions."""
    found = {
        args[2].value
        for args in _audit_calls()
        if len(args) > 2 and isinstance(args[2], ast.Constant)
    }
    for kind in (news, works, deals, partners):
        found.update(kind.PUBLICATION.verbs)
    found.update(f"moderation.{decision}" for decision in moderation.DECISIONS)
    return found


def _target_kinds() -> set[str]:
    """Every kind of thing the code names as an entry's target ("report:…")."""
    found = {
        args[3].values[0].value.split(":")[0]
        for args in _audit_calls()
        if len(args) > 3
        and isinstance(args[3], ast.JoinedStr)
        and isinstance(args[3].values[0], ast.Constant)
    }
    found.discard("")
    found.update(kind.PUBLICATION.name for kind in (news, works, deals, partners))
    found.update(moderation.TARGETS)
    return found


def test_every_kind_of_target_reads_in_words():
    kinds = _target_kinds()
    assert {"report", "dwelling", "news", "post"} <= kinds
    assert kinds - set(TARGET_LABELS) == set()


def test_every_action_of_the_log_reads_in_words():
    actions = _recorded_actions()
    assert {"staff.sign_in", "report.move", "news.withdraw", "moderation.dismiss"} <= actions
    assert actions - set(ACTION_LABELS) == set()
