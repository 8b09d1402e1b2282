"""Operators read the audit log: who did what, on what, and when."""

import ast
from pathlib import Path

from core.domain import audit, deals, moderation, news, partners, works
from webui.staff.audit_log import ACTION_LABELS


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
    assert "dwelling:A-02" in html
    assert "Recorded a household moving out" in html
    assert "/staff/audit" in browser.get("/staff/").get_data(as_text=True)


def test_unknown_actions_are_shown_by_their_code(browser, small_estate, engine):
    with engine.begin() as connection:
        audit.record(connection, None, "box.restart", "box")
    browser.sign_in_staff("operateur")
    assert "box.restart" in browser.get("/staff/audit").get_data(as_text=True)


def test_only_operators_read_the_audit_log(browser, small_estate):
    browser.sign_in_staff("agent")
    assert browser.get("/staff/audit").status_code == 403
    assert "/staff/audit" not in browser.get("/staff/").get_data(as_text=True)


def _recorded_actions() -> set[str]:
    """Every action the code writes in the audit log: those written as they are, the
    publishing lifecycle's and the caretakers' decisions."""
    root = Path(__file__).parents[2]
    found = set()
    for folder in ("core", "webui", "link", "provisioning", "appliance"):
        for path in (root / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "record"
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "audit"
                    and len(node.args) > 2
                    and isinstance(node.args[2], ast.Constant)
                ):
                    found.add(node.args[2].value)
    for kind in (news, works, deals, partners):
        found.update(kind.PUBLICATION.verbs)
    found.update(f"moderation.{decision}" for decision in moderation.DECISIONS)
    return found


def test_every_action_of_the_log_reads_in_words():
    actions = _recorded_actions()
    assert {"staff.sign_in", "report.move", "news.withdraw", "moderation.dismiss"} <= actions
    assert actions - set(ACTION_LABELS) == set()
