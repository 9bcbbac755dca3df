"""Charts drawn here as SVG, inline in the page: no script, no file to fetch, nothing from a CDN.

Only presentation attributes (fill, stroke, font-size), never a style attribute or a <style>
element, so they draw under the site's strict Content-Security-Policy (style-src 'self'). pygal was
weighed and left: its SVG carries a <style> element and inline scripts (and by default a tooltip
script from a CDN), which that policy blocks, and would need 'unsafe-inline' to look right.

Each chart is a picture of a table the page shows beside it: the SVG names itself and points to
that table, which is what a screen reader reads. A bar's value also shows on hover (its <title>).
"""

from math import ceil, log10

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Each 3:1 or more against the page's background (WCAG's contrast for graphics), and told apart
# by the legend and the table too, never by color alone.
COLORS = ("#50575e", "#0b6b50", "#8a5a00", "#a4262c")
WIDTH = 720
MAX_LABELS = 13  # at most this many labels under the bars (every other one, or fewer, beyond)
NAME_CHARS = 26


def nice_top(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten at or above ``value`` (1 at least)."""
    if value <= 1:
        return 1
    power = 10 ** int(log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def _number(value: float) -> str:
    return f"{value:g}"


def _short(text: str) -> str:
    text = str(text)
    return text if len(text) <= NAME_CHARS else text[: NAME_CHARS - 1] + "…"


def _frame(key: str, title: str, height: int, described_by: str, parts: list) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="{key}-title" aria-describedby="{described}" '
        'font-size="12">'
        '<title id="{key}-title">{title}</title>{body}</svg>',
        w=WIDTH,
        h=height,
        key=key,
        described=described_by,
        title=title,
        body=mark_safe("".join(parts)),  # noqa: S308 (each part is built with format_html)
    )


def bars(
    *, key: str, title: str, table_id: str, labels: list, series: list[tuple[str, list]]
) -> SafeString:
    """Grouped vertical bars: a group per label (a week), a bar per series (name, values)."""
    left, right, top, bottom = 44, 8, 34, 28
    height = 260
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    peak = nice_top(max((v for _name, values in series for v in values), default=0))
    groups = max(len(labels), 1)
    group_w = plot_w / groups
    bar_w = group_w * 0.8 / max(len(series), 1)
    parts = []
    for i in range(5):  # the scale: 0, a quarter... the top
        value = peak * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="#c3c4c7" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="currentColor">{}</text>',
                left,
                WIDTH - right,
                left - 6,
                f"{y + 4:.1f}",
                _number(round(value, 1)),
                y=f"{y:.1f}",
            )
        )
    for s, (name, values) in enumerate(series):
        color = COLORS[s % len(COLORS)]
        for g, value in enumerate(values):
            h = plot_h * value / peak
            x = left + g * group_w + group_w * 0.1 + s * bar_w
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}: {} {}</title></rect>",
                    f"{x:.1f}",
                    f"{top + plot_h - h:.1f}",
                    f"{max(bar_w - 1, 1):.1f}",
                    f"{h:.1f}",
                    color,
                    labels[g],
                    value,
                    name,
                )
            )
    every = max(1, ceil(groups / MAX_LABELS))
    parts.append(
        format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="middle" fill="currentColor">{}</text>',
            (
                (f"{left + g * group_w + group_w / 2:.1f}", height - 10, label)
                for g, label in enumerate(labels)
                if g % every == 0
            ),
        )
    )
    parts.append(_legend([name for name, _values in series], x=left, y=14))
    return _frame(key, title, height, table_id, parts)


def _legend(names: list[str], *, x: float, y: float) -> str:
    parts = []
    for i, name in enumerate(names):
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
                '<text x="{}" y="{}" fill="currentColor">{}</text>',
                f"{x:.1f}",
                y - 10,
                COLORS[i % len(COLORS)],
                f"{x + 16:.1f}",
                y,
                name,
            )
        )
        x += 28 + 7 * len(str(name))
    return "".join(parts)


def hbars(
    *,
    key: str,
    title: str,
    table_id: str,
    rows: list[tuple[str, float, str]],
    top: float | None = None,
    reference: tuple[float, str] | None = None,
    color: str = COLORS[1],
) -> SafeString:
    """Horizontal bars, one per row (name, value, the value as shown), from 0 to ``top`` (a nice
    number above the largest, if not given); ``reference``: a line across every bar (value,
    what it is), such as the network's rate."""
    left, right, row_h, head = 190, 70, 22, 26 if reference else 6
    height = head + row_h * max(len(rows), 1) + 6
    plot_w = WIDTH - left - right
    peak = top or nice_top(max((value for _n, value, _s in rows), default=0))
    parts = []
    for i, (name, value, shown) in enumerate(rows):
        y = head + i * row_h
        w = plot_w * min(value, peak) / peak if peak else 0
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="currentColor">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
                '<text x="{}" y="{}" fill="currentColor">{}</text>',
                left - 8,
                y + 15,
                _short(name),
                left,
                y + 3,
                f"{w:.1f}",
                row_h - 6,
                color,
                name,
                shown,
                f"{left + w + 6:.1f}",
                y + 15,
                shown,
            )
        )
    if reference is not None:
        value, what = reference
        x = left + plot_w * min(value, peak) / peak if peak else left
        parts.append(
            format_html(
                '<line x1="{x}" x2="{x}" y1="{}" y2="{}" stroke="currentColor" '
                'stroke-width="2" stroke-dasharray="4 3"/>'
                '<text x="{x}" y="14" text-anchor="middle" fill="currentColor">{}</text>',
                head - 4,
                height - 4,
                what,
                x=f"{x:.1f}",
            )
        )
    return _frame(key, title, height, table_id, parts)
