"""`vnextract report`: a static, self-contained HTML report of a batch (no network, no CDN).

`index.html` has the batch at a glance (records per kind, documents per month, most cited
document references, as inline SVG) and a filterable table of documents; `doc-NNNNN.html` has
one document each (see report_doc.py). Page files are numbered, never named after ids.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.inspect.charts import KIND_COLORS, OTHER_COLOR, bar_chart, column_chart
from pipeline.inspect.htmlkit import FILTER_JS, esc, json_script, kind_class, page
from pipeline.inspect.report_doc import document_page, page_name
from pipeline.inspect.summary import NO_DATE, NO_SITE, Summary, kind_order, summarize

TOP_REFS = 15
_OLD_PAGE = re.compile(r"doc-\d{5,}\.html")


def facets(doc: dict[str, Any]) -> dict[str, Any]:
    """What the index's filters test for a document; `q` is its lower-cased searchable text.

    >>> f = facets({"id": "a", "meta": {"title": "Tỉnh Ủy", "site": None, "authors": []},
    ...             "text": "", "records": [{"type": "date", "rule": "r"}], "errors": []})
    >>> f["kinds"], f["site"], f["errors"], "tỉnh ủy" in f["q"]
    (['date'], '(no site)', 0, True)
    """
    meta, records = doc["meta"], doc["records"]
    words = [doc["id"], meta["title"] or "", meta["site"] or "", *meta["authors"], doc["text"]]
    words += [str(r.get("text", "")) for r in records]
    return {
        "kinds": sorted({str(r.get("type")) for r in records}),
        "rules": sorted({str(r.get("rule")) for r in records}),
        "site": meta["site"] or NO_SITE,
        "errors": len(doc["errors"]),
        "q": unicodedata.normalize("NFC", "\n".join(words)).lower(),
    }


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


def _row(i: int, doc: dict[str, Any], kinds: list[str]) -> str:
    """A document's row in the index: `data-i` is its place in the facets data."""
    counts = Counter(str(r.get("type")) for r in doc["records"])
    meta = doc["meta"]
    title = esc(meta["title"]) if meta["title"] else f'<span class="muted">{esc(doc["id"])}</span>'
    published = str(meta["published"] or "")[:16].replace("T", " ")
    cells = "".join(f'<td class="n">{counts[k] or ""}</td>' for k in kinds)
    err = len(doc["errors"])
    return (
        f'<tr data-i="{i}"><td class="n">{i + 1}</td>'
        f'<td class="title"><a href="{page_name(i)}">{title}</a></td>'
        f'<td class="site">{esc(meta["site"] or "")}</td><td class="date">{esc(published)}</td>'
        f'{cells}<td class="n">{len(doc["records"])}</td>'
        f'<td class="n{" err" if err else ""}">{err or ""}</td>'
        f'<td class="n">{len(doc["dropped"]) or ""}</td></tr>'
    )


def table_html(documents: list[dict[str, Any]], kinds: list[str]) -> str:
    """One row per document: title (linked to its page), site, date, counts per kind."""
    head = "".join(
        f'<th class="kind"><span class="badge {kind_class(k)}">{esc(k.replace("_", " "))}'
        "</span></th>"
        for k in kinds
    )
    rows = "".join(_row(i, doc, kinds) for i, doc in enumerate(documents))
    return (
        '<table id="docs"><thead><tr><th>#</th><th>title</th><th>site</th><th>published</th>'
        f"{head}<th>records</th><th>errors</th><th>dropped</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
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
    order = kind_order(summary.kinds)
    rules = sorted(summary.rules.items(), key=lambda x: (order.index(x[0][0]), -x[1], x[0][1]))
    parts = [
        _counts_table("Records per rule", [(k, r, n) for (k, r), n in rules]),
        _counts_table("Documents per site", summary.sites.most_common()),
        _counts_table("Errors per stage", summary.errors.most_common()),
        _counts_table("Dropped lines per reason", summary.dropped.most_common()),
    ]
    return f'<details><summary>Counts</summary><div class="charts">{"".join(parts)}</div></details>'


def index_page(documents: list[dict[str, Any]], summary: Summary) -> str:
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
        + table_html(documents, kind_order(summary.kinds))
        + "</main>"
        + json_script("facets", [facets(d) for d in documents])
    )
    return page("vnextract report", body, FILTER_JS)


def write_report(documents: list[dict[str, Any]], folder: Path) -> Path:
    """Write index.html and one page per document into `folder`; returns the index's path.

    Document pages left by an earlier report in the same folder are removed first.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if _OLD_PAGE.fullmatch(old.name) and old.is_file():
            old.unlink()
    for i, doc in enumerate(documents):
        html = document_page(doc, i, len(documents))
        (folder / page_name(i)).write_text(html, encoding="utf-8")
    index = folder / "index.html"
    index.write_text(index_page(documents, summarize(documents)), encoding="utf-8")
    return index
