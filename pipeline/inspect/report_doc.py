"""One document's page of the HTML report: highlighted text, records, metadata, dropped lines.

Everything from the page is escaped; colours and classes come from the kind, never the data.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pipeline.inspect.htmlkit import esc, kind_class, page
from pipeline.inspect.spans import (
    innermost,
    later_mentions,
    record_span,
    segments,
    sentence_span,
)
from pipeline.inspect.summary import field_text, kind_order, meta_rows, record_fields


def page_name(index: int) -> str:
    """The file of the document at `index` (0-based): never built from the id.

    >>> page_name(0)
    'doc-00001.html'
    """
    return f"doc-{index + 1:05d}.html"


def badge(kind: str) -> str:
    """A record kind in its colour."""
    return f'<span class="badge {kind_class(kind)}">{esc(kind)}</span>'


def highlighted_html(text: str, records: list[dict[str, Any]]) -> str:
    """The text with each segment in a `<mark>` of its innermost record's kind.

    A segment inside a longer record is also underlined in the outer record's colour; a later
    mention of a record is underlined only; the tooltip lists every record covering a segment.

    >>> highlighted_html("a <b> c", [{"type": "date", "rule": "r", "span": [2, 5]}])
    'a <mark class="k-date" id="at-2" title="#1 date (r)">&lt;b&gt;</mark> c'
    """
    # Mentions first, then each record's own span: on equal extents the record's span wins.
    mentions = [later_mentions(r, len(text)) for r in records]
    owner = [i for i, found in enumerate(mentions) for _ in found]
    spans: list[tuple[int, int] | None] = [m for found in mentions for m in found]
    primary = {i: len(spans) + i for i in range(len(records))}
    owner += range(len(records))
    spans += [record_span(r, len(text)) for r in records]
    kinds = [str(records[i].get("type")) for i in owner]
    starts = {s[0] for s in spans[len(spans) - len(records) :] if s}
    parts = []
    for a, b, covering in segments(len(text), spans):
        chunk = esc(text[a:b])
        inner = innermost(covering, spans)
        if inner is None:
            parts.append(chunk)
            continue
        classes = [kind_class(kinds[inner])]
        if primary[owner[inner]] != inner:
            classes.append("mention")
        outer = _outermost(covering, spans, inner)
        if outer is not None:
            classes += ["outer", "o-" + kind_class(kinds[outer])[2:]]
        tip = "; ".join(
            f"#{owner[j] + 1} {kinds[j]} ({records[owner[j]].get('rule', '')})"
            + ("" if primary[owner[j]] == j else ", mention")
            for j in covering
        )
        anchor = f' id="at-{a}"' if a in starts else ""
        starts.discard(a)
        parts.append(f'<mark class="{" ".join(classes)}"{anchor} title="{esc(tip)}">{chunk}</mark>')
    return "".join(parts)


def _outermost(
    covering: tuple[int, ...], spans: list[tuple[int, int] | None], inner: int
) -> int | None:
    """The longest covering span that holds span `inner` and is longer (crossing ones do not).

    >>> spans = [(0, 9), (2, 5), (4, 12)]
    >>> _outermost((0, 1, 2), spans, 1), _outermost((1, 2), spans, 1)
    (0, None)
    """
    a, b = spans[inner] or (0, 0)
    holding = [
        j for j in covering if (s := spans[j]) and s[0] <= a and b <= s[1] and s[1] - s[0] > b - a
    ]
    return max(holding, key=lambda j: (_length(spans[j]), j), default=None)


def _length(span: tuple[int, int] | None) -> int:
    return span[1] - span[0] if span else 0


def _sentence(text: str, record: dict[str, Any]) -> str:
    span = record_span(record, len(text))
    if span is None:
        return '<span class="muted">(no span)</span>'
    s, e, cut_before, cut_after = sentence_span(text, *span)
    a, b = span
    mark = f'<mark class="{kind_class(str(record.get("type")))}">{esc(text[a:b])}</mark>'
    before, after = ("… " if cut_before else ""), (" …" if cut_after else "")
    return before + esc(text[s:a]) + mark + esc(text[b:e]) + after


def records_html(text: str, records: list[dict[str, Any]]) -> str:
    """The record table: kind, the record marked in its sentence, its fields, the rule."""
    rows = []
    for i, rec in enumerate(records, 1):
        fields = record_fields(rec)
        if len(rec.get("mentions") or []) > 1:
            fields["mentions"] = len(rec["mentions"])
        items = "".join(
            f"<li><b>{esc(k)}</b>: {esc(field_text(k, v))}</li>" for k, v in fields.items()
        )
        span = record_span(rec, len(text))
        link = f'<a href="#at-{span[0]}">{i}</a>' if span else str(i)
        rows.append(
            f'<tr id="rec-{i}"><td class="n">{link}</td><td>{badge(str(rec.get("type")))}</td>'
            f'<td class="sentence">{_sentence(text, rec)}</td>'
            f'<td><ul class="fields">{items}</ul></td><td>{esc(rec.get("rule", ""))}</td></tr>'
        )
    head = "<tr><th>#</th><th>kind</th><th>record in its sentence</th><th>fields</th><th>rule</th>"
    if not rows:
        return '<p class="muted">No records.</p>'
    return f'<table id="records"><thead>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def meta_html(doc: dict[str, Any]) -> str:
    """The metadata table: id, source, format, title, publication time, authors, site."""
    rows = []
    for name, value in meta_rows(doc):
        if name == "url" and value.startswith(("http://", "https://")):
            rows.append(
                (name, f'<a href="{esc(value)}" rel="noreferrer noopener">{esc(value)}</a>')
            )
        elif value:
            rows.append((name, esc(value)))
    body = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<table class="meta">{body}</table>'


def dropped_html(dropped: list[dict[str, Any]]) -> str:
    """The furniture lines cleaning removed, with their reasons and a count per reason."""
    if not dropped:
        return '<p class="muted">Nothing was dropped.</p>'
    counts = Counter(str(d.get("reason", "?")) for d in dropped)
    tally = ", ".join(f"{esc(r)}: {n}" for r, n in counts.most_common())
    rows = "".join(
        f"<tr><td>{esc(d.get('reason', '?'))}</td><td>{esc(d.get('text', ''))}</td></tr>"
        for d in dropped
    )
    return (
        f'<p>{len(dropped)} lines ({tally})</p><table id="dropped"><thead><tr><th>reason</th>'
        f"<th>line</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def document_page(doc: dict[str, Any], index: int, last: bool) -> str:
    """The page of the document at `index`, with links to its neighbours (`last`: no next)."""
    records, text = doc["records"], doc["text"]
    nav = ['<a href="index.html">← all documents</a>']
    if index > 0:
        nav.append(f'<a href="{page_name(index - 1)}">‹ previous</a>')
    if not last:
        nav.append(f'<a href="{page_name(index + 1)}">next ›</a>')
    title = doc["meta"]["title"] or doc["id"]
    errors = "".join(
        f'<li class="err">{esc(e.get("stage", "?"))}: {esc(e.get("message", ""))}</li>'
        for e in doc["errors"]
    ) + "".join(
        f"<li>note, {esc(e.get('stage', '?'))}: {esc(e.get('message', ''))}</li>"
        for e in doc.get("notes", [])
    )
    kinds = kind_order({str(r.get("type")) for r in records})
    legend = "".join(badge(k) for k in kinds)
    body = (
        f"<header><nav>{''.join(nav)}</nav><h1>{esc(title)}</h1>"
        f'<div class="muted">document {index + 1}: {len(records)} records, '
        f"{len(doc['errors'])} errors, {len(doc['dropped'])} dropped lines</div></header><main>"
        f"<h2>Metadata</h2>{meta_html(doc)}"
        + (f"<h2>Errors and notes</h2><ul>{errors}</ul>" if errors else "")
        + f'<h2>Text</h2><p class="legend">{legend}</p><div class="text">'
        f"{highlighted_html(text, records)}</div>"
        f"<h2>Records</h2>{records_html(text, records)}"
        f"<h2>Dropped furniture</h2>{dropped_html(doc['dropped'])}</main>"
    )
    return page(f"{title} - vnextract report", body)
