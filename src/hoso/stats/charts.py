"""Charts as inline SVG, drawn on the server from a `Statistic`.

No chart library and no JavaScript: the page is HTML with an <svg> in it, so it shows
on any phone, prints as drawn (vectors, at any scale) and needs nothing from a CDN
(the province's network may be closed). Each chart is accessible: `role="img"` with a
<title> and a <desc> that summarises it, a <title> on every bar (the tooltip and what
a screen reader's "explore" mode reads), and the page puts the full table beside it.

Every drawn value carries `data-row`, `data-column` and `data-value`, the row's and
column's keys of the table it comes from: the tests compare them with the table, so
the chart cannot drift from the figures.

Three kinds: horizontal bars (stacked when a statistic has several charted columns),
the age pyramid (two columns either side of a centre axis) and grouped vertical
columns for a series of months.
"""

from __future__ import annotations

import math

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .tables import BARS, COLUMNS, PYRAMID, Column, Row, Statistic

# Okabe–Ito: told apart by people with colour-vision deficiencies, and dark enough to
# print; the yellow last (weak on white paper).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#7f7f7f",
           "#F0E442")
INK, GRID, MUTED = "#1b1f24", "#ccd3da", "#4f5963"
FONT = (
    'font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, \'Noto Sans\', Arial, '
    'sans-serif"'
)
WIDTH = 640
CHAR_W = 7.0  # average width of a 13-unit character, to lay out labels and legends


def number(value) -> str:
    """1234 → "1.234", 12.5 → "12,5" (Vietnamese separators, DESIGN: Interfaces)."""
    if value is None:
        return ""
    text = f"{value:,.1f}" if isinstance(value, float) else f"{int(value):,}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _short(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def _ticks(maximum: float, count: int = 4) -> list[float]:
    """0 and `count` evenly spaced round values whose last reaches `maximum`."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step = max(1, math.ceil(step)) if step >= 0.5 else 1  # people come in whole numbers
    n = math.ceil(maximum / step - 1e-9)
    return [i * step for i in range(n + 1)]


def _colors(columns: list[Column]) -> dict[str, str]:
    out, free = {}, iter(c for c in PALETTE)
    for column in columns:
        out[column.key] = column.color or next(free, MUTED)
    return out


def _value(row: Row, column: Column) -> int:
    v = row.value(column.key)
    return int(v) if isinstance(v, int | float) and v > 0 else 0


def _svg(stat: Statistic, height: float, body: str, summary: str) -> SafeString:
    title_id, desc_id = f"chart-{stat.key}-title", f"chart-{stat.key}-desc"
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{}" role="img" '
        'aria-labelledby="{} {}" viewBox="0 0 {} {}" width="{}" height="{}" '
        'preserveAspectRatio="xMinYMin meet" data-chart="{}" {} font-size="13">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}</svg>',
        stat.chart, title_id, desc_id, WIDTH, round(height), WIDTH, round(height), stat.key,
        mark_safe(FONT), title_id, stat.title, desc_id, summary, mark_safe(body),  # noqa: S308
    )


def _legend(columns: list[Column], colors: dict[str, str], top: float) -> tuple[str, float]:
    """Swatches and labels in lines across the chart; (SVG, height used)."""
    parts, x, y = [], 8.0, top
    for column in columns:
        width = 14 + 6 + len(column.label) * CHAR_W + 18
        if x + width > WIDTH and x > 8:
            x, y = 8.0, y + 20
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="14" height="14" '
            f'fill="{colors[column.key]}"/>'
            f'<text x="{x + 20:.1f}" y="{y + 11:.1f}" fill="{INK}">{escape(column.label)}</text>'
        )
        x += width
    return '<g class="legend">' + "".join(parts) + "</g>", y + 20 - top + 6


def _summary(stat: Statistic, kind: str, rows: list[Row], columns: list[Column]) -> str:
    totals = [(sum(_value(r, c) for c in columns), r) for r in rows]
    largest = max(totals, key=lambda t: t[0], default=(0, None))
    text = _("%(kind)s, %(rows)d rows: %(columns)s.") % {
        "kind": kind, "rows": len(rows), "columns": ", ".join(c.label for c in columns),
    }
    if largest[1] is not None and largest[0] > 0:
        text += " " + _("Largest: %(label)s (%(value)s).") % {
            "label": largest[1].label, "value": number(largest[0]),
        }
    return text + " " + _("The table beside the chart holds every figure.")


def bars(stat: Statistic) -> SafeString:
    rows, columns = stat.charted_rows, stat.charted_columns
    colors = _colors(columns)
    label_w, value_w, row_h, bar_h = 200.0, 60.0, 24.0, 16.0
    plot_x, plot_w = label_w + 10, WIDTH - label_w - 10 - value_w
    legend, legend_h = ("", 0.0) if len(columns) == 1 else _legend(columns, colors, 6)
    top = 8 + legend_h
    totals = [sum(_value(r, c) for c in columns) for r in rows]
    ticks = _ticks(max(totals, default=0))
    scale = plot_w / ticks[-1]
    height = top + len(rows) * row_h + 26
    body = [legend]
    for t in ticks:
        x = plot_x + t * scale
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 2:.1f}" x2="{x:.1f}" '
            f'y2="{top + len(rows) * row_h:.1f}" stroke="{GRID}"/>'
            f'<text x="{x:.1f}" y="{top + len(rows) * row_h + 16:.1f}" fill="{MUTED}" '
            f'text-anchor="middle" font-size="11">{number(t)}</text>'
        )
    for i, (row, total) in enumerate(zip(rows, totals, strict=True)):
        y = top + i * row_h
        body.append(
            f'<text x="{label_w:.1f}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end" '
            f'fill="{INK}"><title>{escape(row.label)}</title>'
            f"{escape(_short(row.label, 28))}</text>"
        )
        x = plot_x
        for column in columns:
            value = _value(row, column)
            if not value:
                continue
            w = value * scale
            what = row.label if len(columns) == 1 else f"{row.label} — {column.label}"
            body.append(
                f'<rect class="bar" x="{x:.2f}" y="{y + (row_h - bar_h) / 2:.1f}" '
                f'width="{max(w, 0.8):.2f}" height="{bar_h:.1f}" fill="{colors[column.key]}" '
                f'stroke="#fff" stroke-width="0.5" data-row="{escape(row.key)}" '
                f'data-column="{column.key}" data-value="{value}">'
                f"<title>{escape(what)}: {number(value)}</title></rect>"
            )
            x += w
        body.append(
            f'<text class="total" x="{x + 6:.1f}" y="{y + row_h / 2 + 4:.1f}" '
            f'fill="{INK}">{number(total)}</text>'
        )
    kind = _("Horizontal bar chart") if len(columns) == 1 else _("Stacked bar chart")
    return _svg(stat, height, "".join(body), _summary(stat, kind, rows, columns))


def pyramid(stat: Statistic) -> SafeString:
    """Rows are age groups, youngest first in the table; drawn oldest at the top. The
    first charted column goes left of the axis, the second right."""
    rows = list(reversed(stat.charted_rows))
    left, right = stat.charted_columns[:2]
    colors = _colors([left, right])
    centre_w, value_w, row_h, bar_h = 96.0, 44.0, 24.0, 17.0
    side = (WIDTH - centre_w - 2 * value_w) / 2
    axis_l, axis_r = value_w + side, value_w + side + centre_w
    top = 30.0
    ticks = _ticks(max((max(_value(r, left), _value(r, right)) for r in rows), default=0), 3)
    scale = side / ticks[-1]
    height = top + len(rows) * row_h + 26
    body = [
        f'<rect x="{axis_l - 120:.1f}" y="6" width="14" height="14" fill="{colors[left.key]}"/>'
        f'<text x="{axis_l - 100:.1f}" y="17" fill="{INK}">{escape(left.label)}</text>'
        f'<rect x="{axis_r + 10:.1f}" y="6" width="14" height="14" fill="{colors[right.key]}"/>'
        f'<text x="{axis_r + 30:.1f}" y="17" fill="{INK}">{escape(right.label)}</text>'
    ]
    for t in ticks:
        for x in (axis_l - t * scale, axis_r + t * scale):
            body.append(
                f'<line x1="{x:.1f}" y1="{top - 2:.1f}" x2="{x:.1f}" '
                f'y2="{top + len(rows) * row_h:.1f}" stroke="{GRID}"/>'
                f'<text x="{x:.1f}" y="{top + len(rows) * row_h + 16:.1f}" fill="{MUTED}" '
                f'text-anchor="middle" font-size="11">{number(t)}</text>'
            )
    for i, row in enumerate(rows):
        y = top + i * row_h
        body.append(
            f'<text x="{(axis_l + axis_r) / 2:.1f}" y="{y + row_h / 2 + 4:.1f}" '
            f'text-anchor="middle" fill="{INK}">{escape(row.label)}</text>'
        )
        for column, sign in ((left, -1), (right, 1)):
            value = _value(row, column)
            w = value * scale
            base = axis_l if sign < 0 else axis_r
            x = base - w if sign < 0 else base
            if value:
                body.append(
                    f'<rect class="bar" x="{x:.2f}" y="{y + (row_h - bar_h) / 2:.1f}" '
                    f'width="{max(w, 0.8):.2f}" height="{bar_h:.1f}" '
                    f'fill="{colors[column.key]}" data-row="{escape(row.key)}" '
                    f'data-column="{column.key}" data-value="{value}">'
                    f"<title>{escape(row.label)} — {escape(column.label)}: {number(value)}"
                    "</title></rect>"
                )
            tx = base - w - 5 if sign < 0 else base + w + 5
            anchor = "end" if sign < 0 else "start"
            body.append(
                f'<text x="{tx:.1f}" y="{y + row_h / 2 + 4:.1f}" text-anchor="{anchor}" '
                f'fill="{INK}">{number(value)}</text>'
            )
    summary = _summary(stat, _("Population pyramid"), rows, [left, right])
    return _svg(stat, height, "".join(body), summary)


def columns(stat: Statistic) -> SafeString:
    """Grouped vertical columns: one group per row (a month), one column per charted
    column of the statistic."""
    rows, cols = stat.charted_rows, stat.charted_columns
    colors = _colors(cols)
    axis_w, plot_h = 52.0, 220.0
    legend, legend_h = _legend(cols, colors, 6)
    top = 8 + legend_h + 12
    plot_x, plot_w = axis_w + 6, WIDTH - axis_w - 16
    ticks = _ticks(max((_value(r, c) for r in rows for c in cols), default=0))
    scale = plot_h / ticks[-1]
    base = top + plot_h
    height = base + 34
    body = [legend]
    for t in ticks:
        y = base - t * scale
        body.append(
            f'<line x1="{plot_x:.1f}" y1="{y:.1f}" x2="{plot_x + plot_w:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}"/><text x="{axis_w:.1f}" y="{y + 4:.1f}" text-anchor="end" '
            f'fill="{MUTED}" font-size="11">{number(t)}</text>'
        )
    group = plot_w / max(len(rows), 1)
    bar = group * 0.8 / max(len(cols), 1)
    for i, row in enumerate(rows):
        gx = plot_x + i * group + group * 0.1
        for j, column in enumerate(cols):
            value = _value(row, column)
            h = value * scale
            x = gx + j * bar
            if value:
                body.append(
                    f'<rect class="bar" x="{x:.2f}" y="{base - h:.2f}" width="{bar - 1:.2f}" '
                    f'height="{max(h, 0.8):.2f}" fill="{colors[column.key]}" '
                    f'data-row="{escape(row.key)}" data-column="{column.key}" '
                    f'data-value="{value}"><title>{escape(row.label)} — '
                    f"{escape(column.label)}: {number(value)}</title></rect>"
                    f'<text x="{x + bar / 2:.1f}" y="{base - h - 3:.1f}" text-anchor="middle" '
                    f'font-size="10" fill="{INK}">{number(value)}</text>'
                )
        body.append(
            f'<text x="{gx + group * 0.4:.1f}" y="{base + 16:.1f}" text-anchor="middle" '
            f'font-size="11" fill="{INK}">{escape(row.label)}</text>'
        )
    body.append(
        f'<line x1="{plot_x:.1f}" y1="{base:.1f}" x2="{plot_x + plot_w:.1f}" y2="{base:.1f}" '
        f'stroke="{INK}"/>'
    )
    summary = _summary(stat, _("Column chart"), rows, cols)
    return _svg(stat, height, "".join(body), summary)


def render(stat: Statistic) -> SafeString:
    """The chart of `stat`; empty when it is withheld or has nothing to draw."""
    if stat.withheld or not stat.charted_rows or not stat.charted_columns:
        return mark_safe("")  # noqa: S308 (an empty string)
    if stat.chart == PYRAMID:
        return pyramid(stat)
    if stat.chart == COLUMNS:
        return columns(stat)
    assert stat.chart == BARS, stat.chart
    return bars(stat)
