"""Charts as server-rendered SVG: no JavaScript library, nothing to vendor, printable.

Each chart is a small SVG with presentation attributes only (the CSP allows no inline
style) and a title and description for screen readers; the page puts a table of the
same numbers after it. In Arabic the category axis is mirrored (the first month on the
right, the value axis on the right) and every number is written in Arabic-Indic digits.
Text anchors are physical (the SVG keeps its left-to-right coordinates), so the same
code draws both directions by computing x.
"""

import dataclasses
import math
from collections.abc import Callable
from html import escape

from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from core.text import local_digits

WIDTH, HEIGHT = 480, 240
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_AXIS, MARGIN_END = 14, 34, 48, 8
BAR = "#1f6f5c"
GRID = "#d5dbd9"
TEXT = "#24302d"


@dataclasses.dataclass(frozen=True)
class Chart:
    title: str
    svg: SafeString
    rows: list[tuple[str, str]]  # (label, value as text): the accessible table
    value_heading: str
    shares: tuple[float, ...] = ()  # each value as a share of the largest (0..100), for the PDF's bars

    @property
    def bars(self) -> list[tuple[str, str, float, float]]:
        """(label, value, share, the x where a right-to-left bar starts)."""
        return [
            (label, text, share, round(100 - share, 1))
            for (label, text), share in zip(self.rows, self.shares, strict=False)
        ]


def _shares(points) -> tuple[float, ...]:
    top = max((value for _label, value in points), default=0) or 1
    return tuple(round(100 * value / top, 1) for _label, value in points)


def number(value: float, *, decimals: int = 0) -> str:
    """A figure in the reader's digits, with thousands grouped."""
    text = f"{value:,.{decimals}f}" if decimals else f"{round(value):,}"
    return local_digits(text)


def _rtl() -> bool:
    return translation.get_language_bidi()


def _nice_top(value: float) -> float:
    """The axis maximum: 1, 2 or 5 times a power of ten, at least the value."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _text(x: float, y: float, content: str, *, anchor: str, size: int = 11, weight: str = "normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" font-weight="{weight}" '
        f'fill="{TEXT}">{escape(content)}</text>'
    )


def _frame(title: str, description: str, body: list[str], *, height: int = HEIGHT) -> SafeString:
    ident = f"chart-{abs(hash((title, description))) % 10**8}"
    return mark_safe(  # noqa: S308 (every text inside went through escape())
        f'<svg class="vb-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg" '
        'direction="ltr" font-family="inherit">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def column_chart(
    title: str,
    points: list[tuple[str, float]],
    *,
    value_heading: str,
    format_value: Callable[[float], str] = number,
    label_every: int = 1,
) -> Chart:
    """Columns per category (months, days), mirrored in right-to-left languages; with
    many columns only every `label_every`-th is labelled (the table has them all)."""
    rtl = _rtl()
    top = 4 * max(1, _nice_top(max((value for _label, value in points), default=0) / 4))
    plot_width = WIDTH - MARGIN_AXIS - MARGIN_END
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    left = MARGIN_END if rtl else MARGIN_AXIS
    axis_x = left + plot_width if rtl else left
    body = []
    for step in range(5):
        value = top * step / 4
        y = MARGIN_TOP + plot_height - plot_height * step / 4
        body.append(
            f'<line x1="{left}" x2="{left + plot_width}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
        )
        label_x = axis_x + 6 if rtl else axis_x - 6
        body.append(_text(label_x, y + 4, format_value(value), anchor="start" if rtl else "end", size=12))
    slot = plot_width / max(len(points), 1)
    if len(points) > 8 and label_every == 1:
        label_every = 2
    for index, (label, value) in enumerate(points):
        position = len(points) - 1 - index if rtl else index
        x = left + slot * position
        bar_height = plot_height * (value / top) if top else 0
        y = MARGIN_TOP + plot_height - bar_height
        body.append(
            f'<rect x="{x + slot * 0.18:.1f}" y="{y:.1f}" width="{slot * 0.64:.1f}" height="{bar_height:.1f}" '
            f'fill="{BAR}"><title>{escape(label)}: {escape(format_value(value))}</title></rect>'
        )
        if index % label_every == 0:
            body.append(_text(x + slot / 2, HEIGHT - MARGIN_BOTTOM + 18, label, anchor="middle", size=12))
    rows = [(label, format_value(value)) for label, value in points]
    description = "; ".join(f"{label}: {text}" for label, text in rows)
    return Chart(
        title=title,
        svg=_frame(title, description, body),
        rows=rows,
        value_heading=value_heading,
        shares=_shares(points),
    )


def bar_chart(
    title: str,
    points: list[tuple[str, float]],
    *,
    value_heading: str,
    format_value: Callable[[float], str] = number,
) -> Chart:
    """Horizontal bars with their labels (top activities, regions): in Arabic the
    labels are on the right and the bars grow leftwards."""
    rtl = _rtl()
    row_height, label_width = 32, 170
    height = max(len(points), 1) * row_height + 12
    top = max((value for _label, value in points), default=0) or 1
    plot_width = WIDTH - label_width - 70
    body = []
    for index, (label, value) in enumerate(points):
        y = 6 + index * row_height
        length = plot_width * value / top
        if rtl:
            label_x, bar_x, value_x = WIDTH - 4, WIDTH - label_width - length, WIDTH - label_width - length - 6
        else:
            label_x, bar_x, value_x = 4, label_width, label_width + length + 6
        short = label if len(label) <= 22 else label[:21] + "…"
        body.append(_text(label_x, y + 20, short, anchor="end" if rtl else "start", size=13))
        body.append(
            f'<rect x="{bar_x:.1f}" y="{y + 4}" width="{length:.1f}" height="{row_height - 10}" fill="{BAR}">'
            f"<title>{escape(label)}: {escape(format_value(value))}</title></rect>"
        )
        value_text = format_value(value)
        body.append(_text(value_x, y + 20, value_text, anchor="end" if rtl else "start", size=13, weight="bold"))
    rows = [(label, format_value(value)) for label, value in points]
    description = "; ".join(f"{label}: {text}" for label, text in rows)
    return Chart(
        title=title,
        svg=_frame(title, description, body, height=height),
        rows=rows,
        value_heading=value_heading,
        shares=_shares(points),
    )
