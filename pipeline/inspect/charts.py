"""Bar charts as inline SVG, drawn in Python: the report needs no script library and no network.

Every label is escaped; colours come from this module, never from the data.
"""

from __future__ import annotations

import zlib
from html import escape

#: One colour per record kind, shared by the charts and the highlighted text.
KIND_COLORS = {
    "document_ref": "#7cc4f0",
    "date": "#8fd694",
    "official": "#ffd166",
    "participant_count": "#d3a6f5",
    "award": "#f59a9a",
}
#: Colours for the kinds a user's pack adds, one per kind by a hash of its name (so a kind
#: keeps its colour from one report to the next); none is a built-in kind's colour.
USER_COLORS = ("#f4a261", "#2ec4b6", "#e9c46a", "#b5838d", "#90be6d", "#f28482", "#84a59d",
               "#a0c4ff")  # fmt: skip
BAR = "#5b8def"


def user_slot(kind: str) -> int:
    """The palette place of a kind that is not built in: stable across runs and machines.

    >>> user_slot("money_raised") == user_slot("money_raised") < len(USER_COLORS)
    True
    """
    return zlib.crc32(kind.encode("utf-8")) % len(USER_COLORS)


def kind_color(kind: str) -> str:
    """The colour of a record kind: its own if built in, else its place in USER_COLORS."""
    return KIND_COLORS.get(kind) or USER_COLORS[user_slot(kind)]


def _short(label: str, limit: int) -> str:
    """A label cut to `limit` characters with an ellipsis.

    >>> _short("Nghị quyết số 35-NQ/TW", 10)
    'Nghị quyế…'
    """
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _text_width(title: str) -> int:
    """Pixels a bold 14px title needs, roughly (SVG text does not wrap)."""
    return 16 + 9 * len(title)


def bar_chart(title: str, items: list[tuple[str, int, str]], width: int = 400) -> str:
    """Horizontal bars, one per (label, value, fill), labels left and values right.

    >>> svg = bar_chart("t", [("<b>", 3, BAR), ("x", 1, BAR)])
    >>> svg.count("<rect"), "&lt;b&gt;" in svg, "<b>" in svg
    (2, True, False)
    """
    row, label_w, top = 22, 170, 28
    top_value = max([v for _, v, _ in items] or [1]) or 1
    width = max(width, _text_width(title))
    bar_w = width - label_w - 50
    height = top + row * max(1, len(items)) + 6
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    if not items:
        out.append(f'<text x="0" y="{top + 14}" font-size="12" fill="#666">none</text>')
    for i, (label, value, fill) in enumerate(items):
        y = top + i * row
        length = max(1, round(bar_w * value / top_value)) if value else 0
        out.append(
            f"<g><title>{escape(label)}: {value}</title>"
            f'<text x="{label_w - 6}" y="{y + 14}" font-size="12" text-anchor="end">'
            f"{escape(_short(label, 26))}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{length}" height="{row - 6}" '
            f'fill="{escape(fill)}"/>'
            f'<text x="{label_w + length + 4}" y="{y + 14}" font-size="12">{value}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


def column_chart(title: str, items: list[tuple[str, int]], height: int = 200) -> str:
    """Vertical bars over a time axis (labels slanted below), e.g. documents per month.

    >>> svg = column_chart("t", [("2024-03", 2), ("2024-05", 1)])
    >>> svg.count("<rect"), "2024-05" in svg
    (2, True)
    """
    col, left, top, axis = 26, 40, 28, 58
    top_value = max([v for _, v in items] or [1]) or 1
    plot_h = height - top - axis
    width = max(_text_width(title), left * 2 + col * len(items))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    base = top + plot_h
    left = (width - col * len(items)) // 2
    for i, (label, value) in enumerate(items):
        x = left + i * col
        bar_h = max(1, round(plot_h * value / top_value)) if value else 0
        lx, ly = x + col // 2, base + 12
        out.append(
            f"<g><title>{escape(label)}: {value}</title>"
            f'<rect x="{x + 3}" y="{base - bar_h}" width="{col - 6}" height="{bar_h}" '
            f'fill="{BAR}"/>'
            f'<text x="{lx}" y="{base - bar_h - 3}" font-size="11" text-anchor="middle">'
            f"{value}</text>"
            f'<text x="{lx}" y="{ly}" font-size="11" text-anchor="end" '
            f'transform="rotate(-45 {lx} {ly})">{escape(_short(label, 10))}</text></g>'
        )
    out.append(f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" stroke="#999"/></svg>')
    return "".join(out)
