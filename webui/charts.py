"""Bar charts drawn on the server: each bar an SVG shape, the words around it HTML text.

A page with a chart still needs no JavaScript, and the chart is as light as its figures.
Nothing is styled inline (the Content-Security-Policy forbids it): the portal's CSS
colours the bars by their class. A bar's length is a percentage of the chart's width,
so the chart reads the same on a phone and on a wide screen. The labels and figures are
text of the page, not of the picture: they wrap, follow the page's direction and size,
and their contrast can be measured like any text's. The chart is an image with a title
for screen readers; the same figures are in the table beside it, which is what they read.
In a right-to-left language the bars grow from the right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# The height of a bar, in pixels.
_BAR = 14


@dataclass(frozen=True)
class Bar:
    """One measure of a row: its length (None: no figure) and the lines written under it."""

    value: float | None
    lines: Sequence[str]
    kind: str


@dataclass(frozen=True)
class Row:
    """A thing measured (a building, a month) and its bars."""

    label: str
    bars: Sequence[Bar]


def bar_chart(title: str, rows: Sequence[Row], rtl: bool = False) -> Markup:
    """Return a chart of horizontal bars, one group of bars per row."""
    values = [bar.value for row in rows for bar in row.bars if bar.value is not None]
    largest = max(values, default=0) or 1
    parts = [f'<div class="chart" role="img" aria-label="{escape(title)}">']
    for row in rows:
        parts.append(f'<div class="chart__row"><p class="chart__label">{escape(row.label)}</p>')
        for bar in row.bars:
            if bar.value is not None:
                # A figure of zero still shows a sliver: the bar is there, not missing.
                length = max(0.5, bar.value / largest * 100)
                x = 100 - length if rtl else 0
                parts.append(
                    f'<svg class="chart__track" width="100%" height="{_BAR}" '
                    'xmlns="http://www.w3.org/2000/svg" aria-hidden="true" focusable="false">'
                    f'<rect class="chart__bar chart__bar--{escape(bar.kind)}" x="{x:.2f}%" y="0" '
                    f'width="{length:.2f}%" height="{_BAR}" rx="2"/></svg>'
                )
            parts.extend(f'<p class="chart__value">{escape(line)}</p>' for line in bar.lines)
        parts.append("</div>")
    parts.append("</div>")
    return Markup("".join(parts))
