"""Horizontal bar charts as static SVG, readable without JavaScript.

Each chart names itself (``<title>``) and points to the data table that the
page puts beside it; all text is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from .fonts import FONT_STACK

ROW = 30
"""Height of one bar row, px."""
BAR = 170
"""Length of the longest possible bar, px: with short labels the chart fits a phone (356 px) unscaled."""
PHONE = 356
"""The content width on a 390 px phone; a wider chart would shrink its 14 px labels below 12 px there."""
CHAR = 15
"""Width of one Chinese character at the chart's font size, px."""


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str
    """The value as printed at the end of the bar, e.g. ``62.5%``."""


def _width(text: str) -> float:
    """Text width in Chinese characters: digits and Latin letters are about half as wide."""
    return sum(0.55 if ord(char) < 128 else 1.0 for char in text)


def bar_chart(chart_id: str, title: str, bars: list[Bar], maximum: float, table_id: str) -> Markup:
    """An SVG bar chart; ``maximum`` is the value of a full-length bar."""
    label_width = round(max((_width(b.label) for b in bars), default=2) * CHAR) + 12
    width = label_width + BAR + 64
    height = len(bars) * ROW + 8
    rows = []
    for index, bar in enumerate(bars):
        y = 4 + index * ROW
        length = 0 if maximum <= 0 else max(BAR * bar.value / maximum, 0)
        rows.append(
            f'<text x="{label_width - 8}" y="{y + 20}" text-anchor="end">{escape(bar.label)}</text>'
            f'<rect x="{label_width}" y="{y + 5}" width="{length:.1f}" height="{ROW - 10}" rx="2" class="bs-bar"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 20}">{escape(bar.shown)}</text>'
        )
    classes = "bs-barchart bs-barchart--wide" if width > PHONE else "bs-barchart"
    return Markup(
        f'<svg class="{classes}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-title" aria-describedby="{table_id}" '
        f'font-family="{FONT_STACK}" font-size="14" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}（数据见旁边的表格）</title>' + "".join(rows) + "</svg>"
    )
