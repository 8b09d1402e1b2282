"""Bar charts drawn as SVG on the server.

A page with a chart still needs no JavaScript, and the chart is as light as its figures.
Nothing is styled inline (the Content-Security-Policy forbids it): the portal's CSS
colours the bars by their class. Lengths are percentages of the chart's width and the
text keeps the page's size, so the chart reads the same on a phone and on a wide screen;
each figure is written under its bar. The chart is an image with a title
for screen readers; the same figures are in the table beside it, which is what they read.
In a right-to-left language the bars grow from the right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Heights in pixels: a row's label, each bar, the figure under it, the gap after the row.
_LABEL, _BAR, _FIGURE, _GAP = 24, 14, 20, 12


@dataclass(frozen=True)
class Bar:
    """One measure of a row: its length (None: no figure) and the lines written under it
    (short ones: SVG text does not wrap)."""

    value: float | None
    lines: Sequence[str]
    kind: str


@dataclass(frozen=True)
class Row:
    """A thing measured (a building, a month) and its bars."""

    label: str
    bars: Sequence[Bar]


def bar_chart(title: str, rows: Sequence[Row], rtl: bool = False) -> Markup:
    """Return an SVG chart of horizontal bars, one group of bars per row."""
    values = [bar.value for row in rows for bar in row.bars if bar.value is not None]
    largest = max(values, default=0) or 1
    height = sum(
        _LABEL + sum(_BAR + _FIGURE * len(bar.lines) for bar in row.bars) + _GAP for row in rows
    )
    direction = "rtl" if rtl else "ltr"
    parts = [
        f'<svg class="chart" width="100%" height="{height}" direction="{direction}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    y = 0
    for row in rows:
        parts.append(_text(row.label, y + 17, "chart__label", rtl))
        y += _LABEL
        for bar in row.bars:
            if bar.value is not None:
                # A figure of zero still shows a sliver: the bar is there, not missing.
                length = max(0.5, bar.value / largest * 100)
                x = 100 - length if rtl else 0
                parts.append(
                    f'<rect class="chart__bar chart__bar--{escape(bar.kind)}" x="{x:.2f}%" '
                    f'y="{y}" width="{length:.2f}%" height="{_BAR}" rx="2"/>'
                )
            y += _BAR
            for line in bar.lines:
                parts.append(_text(line, y + 15, "chart__value", rtl))
                y += _FIGURE
        y += _GAP
    parts.append("</svg>")
    return Markup("".join(parts))


def _text(words: str, y: int, kind: str, rtl: bool) -> str:
    """Write ``words`` from the start edge of the chart: its right edge in right-to-left,
    where text starts from where it is anchored towards the left."""
    x = "100%" if rtl else "0"
    return f'<text class="{kind}" x="{x}" y="{y}" text-anchor="start">{escape(words)}</text>'
