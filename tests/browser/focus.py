"""Following the keyboard focus: where it is, and whether a person can see it.

A focus indicator is visible when the focused element (or the label of a radio button
drawn as a tile) gets an outline or a shadow it did not have before it was focused. The
styles at rest are noted once after the page loads, before any key is pressed.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page

_NOTE_REST_STYLES = """() => {
    const ring = el => {
        const s = getComputedStyle(el);
        return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join("|");
    };
    window.__ring = ring;
    window.__rest = new Map([...document.querySelectorAll("*")].map(el => [el, ring(el)]));
    window.__ids = new Map();
}"""

_FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    if (!window.__ids.has(el)) window.__ids.set(el, window.__ids.size + 1);
    const shows = node => {
        const s = getComputedStyle(node);
        const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0)
            || s.boxShadow !== "none";
        return ring && window.__ring(node) !== window.__rest.get(node);
    };
    const tiles = [...(el.labels || [])];
    return {
        key: window.__ids.get(el),
        tag: el.tagName.toLowerCase(),
        type: el.getAttribute("type") || "",
        name: el.getAttribute("name") || "",
        value: el.value === undefined ? "" : String(el.value),
        text: (el.innerText || el.getAttribute("aria-label") || "").trim().slice(0, 60),
        checked: Boolean(el.checked),
        visible: shows(el) || tiles.some(shows),
        html: el.outerHTML.slice(0, 160),
    };
}"""


@dataclass(frozen=True)
class Focus:
    """The element that has the keyboard focus."""

    key: int
    tag: str
    type: str
    name: str
    value: str
    text: str
    checked: bool
    visible: bool
    html: str


def note_rest_styles(page: Page) -> None:
    """Remember how every element looks unfocused; call right after the page loads."""
    page.evaluate(_NOTE_REST_STYLES)


def focused(page: Page) -> Focus | None:
    """Return the focused element, or None when the focus is on the page itself."""
    found = page.evaluate(_FOCUSED)
    return Focus(**found) if found else None


def press_tab(page: Page) -> Focus | None:
    """Press Tab and return where the focus went, failing if nobody can see it."""
    page.keyboard.press("Tab")
    now = focused(page)
    assert now is None or now.visible, f"no visible focus indicator on {now.html}"
    return now


def tab_until(page: Page, wanted, limit: int = 60) -> Focus:
    """Press Tab until the focused element is the wanted one; fail if it never comes."""
    seen: list[str] = []
    for _ in range(limit):
        now = press_tab(page)
        if now is not None and wanted(now):
            return now
        seen.append(now.html if now else "(page)")
    raise AssertionError("Tab never reached the element; focus went to:\n" + "\n".join(seen))


def tab_round(page: Page, limit: int = 200) -> list[Focus]:
    """Tab from the top until the focus comes back to where it started; return each stop.

    A keyboard trap would keep the focus going round a few elements without ever
    coming back to the first one, or keep it on one element.
    """
    first = press_tab(page)
    assert first is not None, "Tab does not reach anything on the page"
    stops = [first]
    for _ in range(limit):
        now = press_tab(page)
        if now is not None and now.key == first.key:
            return stops
        if now is not None:
            assert now.key not in {s.key for s in stops}, f"the focus is trapped at {now.html}"
            stops.append(now)
    raise AssertionError(f"the focus never came back to {first.html} after {limit} Tabs")
