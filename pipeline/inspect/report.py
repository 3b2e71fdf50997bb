"""`vnextract report`: a static, self-contained HTML report of a batch (no network, no CDN).

`index.html` has the batch at a glance (records per kind, documents per month, most cited
document references, as inline SVG) and a filterable table of documents; `doc-NNNNN.html` has
one document each (see report_doc.py). Page files are numbered, never named after ids.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.inspect.charts import KIND_COLORS, OTHER_COLOR, bar_chart, column_chart
from pipeline.inspect.htmlkit import FILTER_JS, esc, json_script, kind_class, page
from pipeline.inspect.report_doc import document_page, page_name
from pipeline.inspect.summary import NO_DATE, NO_SITE, Summary, kind_order

TOP_REFS = 15
#: How much of a document's text the index's search looks in (the rest is on its page).
SEARCHED_TEXT = 500
_OLD_PAGE = re.compile(r"doc-\d{5,}\.html")


def facets(doc: dict[str, Any]) -> dict[str, Any]:
    """What the index's filters test for a document; `q` is its lower-cased searchable text.

    `q` holds the id, title, site, authors, record texts and only the start of the text, so
    the index stays small however long the pages are.

    >>> f = facets({"id": "a", "meta": {"title": "Tỉnh Ủy", "site": None, "authors": []},
    ...             "text": "x" * 600 + "END", "records": [{"type": "date", "rule": "r"}],
    ...             "errors": []})
    >>> f["kinds"], f["site"], f["errors"], "tỉnh ủy" in f["q"], "end" in f["q"]
    (['date'], '(no site)', 0, True, False)
    """
    meta, records = doc["meta"], doc["records"]
    words = [doc["id"], meta["title"] or "", meta["site"] or "", *meta["authors"]]
    words.extend(dict.fromkeys(str(r.get("text", "")) for r in records))  # each text once
    words.append(doc["text"][:SEARCHED_TEXT])
    return {
        "kinds": sorted({str(r.get("type")) for r in records}),
        "rules": sorted({str(r.get("rule")) for r in records}),
        "site": meta["site"] or NO_SITE,
        "errors": len(doc["errors"]),
        "q": unicodedata.normalize("NFC", "\n".join(words)).lower(),
    }


@dataclass
class IndexRow:
    """What the index keeps of a document once its page is written: its row and facets."""

    id: str
    title: str | None
    site: str
    published: str
    kinds: Counter[str]
    records: int
    errors: int
    dropped: int
    facets: dict[str, Any]

    @classmethod
    def of(cls, doc: dict[str, Any]) -> IndexRow:
        meta = doc["meta"]
        return cls(
            id=doc["id"],
            title=meta["title"],
            site=meta["site"] or "",
            published=str(meta["published"] or "")[:16].replace("T", " "),
            kinds=Counter(str(r.get("type")) for r in doc["records"]),
            records=len(doc["records"]),
            errors=len(doc["errors"]),
            dropped=len(doc["dropped"]),
            facets=facets(doc),
        )


def _select(element_id: str, label: str, values: list[str], every: str) -> str:
    options = "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in values)
    return (
        f'<label for="{element_id}">{esc(label)}<select id="{element_id}">'
        f'<option value="">{esc(every)}</option>{options}</select></label>'
    )


def filters_html(summary: Summary) -> str:
    """Kind, rule, site, errors and text-search controls (the script reads them)."""
    rules = sorted({rule for _, rule in summary.rules})
    errors = (
        '<label for="f-errors">errors<select id="f-errors"><option value="">any</option>'
        '<option value="yes">with errors</option><option value="no">without errors</option>'
        "</select></label>"
    )
    return (
        '<div class="filters">'
        + _select("f-kind", "kind", kind_order(summary.kinds), "any kind")
        + _select("f-rule", "rule", rules, "any rule")
        + _select("f-site", "site", sorted(summary.sites), "any site")
        + errors
        + '<label for="f-q">text search<input id="f-q" type="search" size="28" '
        'placeholder="title, text, record…"></label></div><p id="shown" class="muted"></p>'
    )


def _row(i: int, row: IndexRow, kinds: list[str]) -> str:
    """A document's row in the index: `data-i` is its place in the facets data."""
    title = esc(row.title) if row.title else f'<span class="muted">{esc(row.id)}</span>'
    cells = "".join(f'<td class="n">{row.kinds[k] or ""}</td>' for k in kinds)
    return (
        f'<tr data-i="{i}"><td class="n">{i + 1}</td>'
        f'<td class="title"><a href="{page_name(i)}">{title}</a></td>'
        f'<td class="site">{esc(row.site)}</td><td class="date">{esc(row.published)}</td>'
        f'{cells}<td class="n">{row.records}</td>'
        f'<td class="n{" err" if row.errors else ""}">{row.errors or ""}</td>'
        f'<td class="n">{row.dropped or ""}</td></tr>'
    )


def table_html(rows: list[IndexRow], kinds: list[str]) -> str:
    """One row per document: title (linked to its page), site, date, counts per kind."""
    head = "".join(
        f'<th class="kind"><span class="badge {kind_class(k)}">{esc(k.replace("_", " "))}'
        "</span></th>"
        for k in kinds
    )
    body = "".join(_row(i, row, kinds) for i, row in enumerate(rows))
    return (
        '<table id="docs"><thead><tr><th>#</th><th>title</th><th>site</th><th>published</th>'
        f"{head}<th>records</th><th>errors</th><th>dropped</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def charts_html(summary: Summary) -> str:
    """Records per kind, documents per month, the most cited document references."""
    kinds = [
        (k, summary.kinds[k], KIND_COLORS.get(k, OTHER_COLOR)) for k in kind_order(summary.kinds)
    ]
    months = sorted(m for m in summary.months if m != NO_DATE)
    per_month = [(m, summary.months[m]) for m in months]
    if summary.months[NO_DATE]:
        per_month.append((NO_DATE, summary.months[NO_DATE]))
    top = sorted(summary.refs.items(), key=lambda x: (-x[1], x[0]))[:TOP_REFS]
    refs = [(r, n, KIND_COLORS["document_ref"]) for r, n in top]
    return (
        '<div class="charts">'
        + bar_chart("Records per kind", kinds)
        + column_chart("Documents per month", per_month)
        + bar_chart("Most cited documents (by citing pages)", refs)
        + "</div>"
    )


def _counts_table(title: str, rows: list[tuple[Any, ...]]) -> str:
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row[:-1]) + f'<td class="n">{row[-1]}</td>'
        "</tr>"
        for row in rows
    )
    return f"<div><h2>{esc(title)}</h2><table>{body}</table></div>"


def counts_html(summary: Summary) -> str:
    """Records per rule, documents per site, errors per stage, dropped lines per reason."""
    parts = [
        _counts_table("Records per rule", summary.rule_rows()),
        _counts_table("Documents per site", summary.sites.most_common()),
        _counts_table("Errors per stage", summary.errors.most_common()),
        _counts_table("Dropped lines per reason", summary.dropped.most_common()),
    ]
    return f'<details><summary>Counts</summary><div class="charts">{"".join(parts)}</div></details>'


def index_page(rows: list[IndexRow], summary: Summary) -> str:
    """The batch at a glance and the filterable list of documents."""
    body = (
        "<header><h1>vnextract report</h1><div>"
        f"{summary.documents} documents, {summary.records} records, "
        f"{summary.with_errors} with errors, "
        f"{len(summary.no_records)} with no records</div></header><main>"
        + charts_html(summary)
        + counts_html(summary)
        + "<h2>Documents</h2>"
        + filters_html(summary)
        + table_html(rows, kind_order(summary.kinds))
        + "</main>"
        + json_script("facets", [row.facets for row in rows])
    )
    return page("vnextract report", body, FILTER_JS)


def write_report(documents: Iterable[dict[str, Any]], folder: Path) -> tuple[Path, int]:
    """Write one page per document as it is read, then index.html; returns its path and count.

    Only each document's row of the index is kept. Pages left by an earlier report in the
    same folder are removed first.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if _OLD_PAGE.fullmatch(old.name) and old.is_file():
            old.unlink()
    summary = Summary()
    rows: list[IndexRow] = []
    pending: dict[str, Any] | None = None  # written once we know whether another follows
    for doc in documents:
        if pending is not None:
            _write(folder / page_name(len(rows) - 1), document_page(pending, len(rows) - 1, False))
        summary.add(doc)
        rows.append(IndexRow.of(doc))
        pending = doc
    if pending is not None:
        _write(folder / page_name(len(rows) - 1), document_page(pending, len(rows) - 1, True))
    index = folder / "index.html"
    _write(index, index_page(rows, summary))
    return index, len(rows)


def _write(path: Path, html: str) -> None:
    path.write_text(html, encoding="utf-8")
