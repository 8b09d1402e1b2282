"""axe-core run inside the page, against the WCAG 2.0, 2.1 and 2.2 A and AA rules."""

from __future__ import annotations

from functools import cache
from typing import Any

from playwright.sync_api import Page

from tests.browser.demo_box import REPOSITORY

AXE_SCRIPT = REPOSITORY / "node_modules" / "axe-core" / "axe.min.js"
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

# A contrast axe-core cannot decide ("needs review": text over a picture, a gradient,
# another element) is counted as broken: every text's contrast must be measurable.
_RUN = """options => axe.run(document, options).then(results => results.violations.concat(
    results.incomplete.filter(v => v.id === "color-contrast")
).map(v => ({
    id: v.id,
    impact: v.impact || "needs review",
    help: v.help,
    nodes: v.nodes.map(node => ({target: node.target.join(" "), html: node.html})),
})))"""


@cache
def _script() -> str:
    if not AXE_SCRIPT.exists():
        raise AssertionError(f"{AXE_SCRIPT} is missing: scripts/setup.sh installs axe-core")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe(page: Page) -> list[dict[str, Any]]:
    """Return the accessibility violations axe-core finds on the page as it is now, and the
    contrasts it could not check."""
    # Evaluated through the DevTools protocol, so the page's strict CSP stays in force.
    page.evaluate(_script())
    options = {
        "runOnly": {"type": "tag", "values": RULE_TAGS},
        "resultTypes": ["violations", "incomplete"],
    }
    return page.evaluate(_RUN, options)


def describe(violations: list[dict[str, Any]], where: str) -> str:
    """Return the violations as lines a person fixing the page can act on."""
    lines = [f"{len(violations)} accessibility rule(s) broken on {where}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"    {node['target']}  {node['html'][:160]}" for node in violation["nodes"]]
    return "\n".join(lines)


def assert_accessible(page: Page, where: str | None = None) -> None:
    """Fail with a readable list when axe-core finds any violation on the page."""
    violations = axe(page)
    assert not violations, describe(violations, where or page.url)
