"""`vnextract report`: a static, self-contained HTML report of a batch (no network, no CDN).

`index.html` has the batch at a glance (records per kind, documents per month, most cited
document references, as inline SVG) and a filterable table of documents; `doc-NNNNN.html` has
one document each (see report_doc.py). Page files are numbered, never named after ids.

Memory does not grow with the batch: each document's page is written as it is read, and its
index row goes to a temporary file (beside the report) that is streamed into `index.html` at
the end, once the batch's counts (which decide the table's columns) are known.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pipeline.inspect.charts import KIND_COLORS, bar_chart, column_chart, kind_color
from pipeline.inspect.corpus import Corpus, corpus_html
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
        """The row of a document as `extract` wrote it."""
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

    def to_line(self) -> str:
        """The row as one JSON line (for the temporary file of rows).

        >>> row = IndexRow("a", None, "", "", Counter(date=2), 2, 0, 0, {"q": "a"})
        >>> IndexRow.from_line(row.to_line()) == row
        True
        """
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return json.dumps(fields, ensure_ascii=False) + "\n"

    @classmethod
    def from_line(cls, line: str) -> IndexRow:
        """The row written by `to_line`."""
        fields = json.loads(line)
        fields["kinds"] = Counter(fields["kinds"])
        return cls(**fields)


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


def table_head(kinds: list[str]) -> str:
    """The documents table up to its first row: title, site, date, a column per kind, counts."""
    head = "".join(
        f'<th class="kind"><span class="badge {kind_class(k)}">{esc(k.replace("_", " "))}'
        "</span></th>"
        for k in kinds
    )
    return (
        '<table id="docs"><thead><tr><th>#</th><th>title</th><th>site</th><th>published</th>'
        f"{head}<th>records</th><th>errors</th><th>dropped</th></tr></thead><tbody>"
    )


TABLE_END = "</tbody></table>"


def charts_html(summary: Summary) -> str:
    """Records per kind, documents per month, the most cited document references."""
    kinds = [(k, summary.kinds[k], kind_color(k)) for k in kind_order(summary.kinds)]
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


def index_top(summary: Summary) -> str:
    """The index's body before the table's rows: counts, charts, filters, the table's head."""
    return (
        "<header><h1>vnextract report</h1><div>"
        f"{summary.documents} documents, {summary.records} records, "
        f"{summary.with_errors} with errors, "
        f"{summary.without_records} with no records; "
        '<a href="corpus.html">across pages: documents and people</a></div></header><main>'
        + charts_html(summary)
        + counts_html(summary)
        + "<h2>Documents</h2>"
        + filters_html(summary)
        + table_head(kind_order(summary.kinds))
    )


_MARK = "\ue000"  # a private-use character: where the streamed part goes in a template


def _around(template: str) -> tuple[str, str]:
    """`template` cut at _MARK: what comes before and after the streamed part."""
    before, after = template.split(_MARK)
    return before, after


def json_value(value: Any) -> str:
    r"""`value` as JSON escaped as htmlkit.json_script escapes it (safe inside its block).

    >>> json_value(["</script>"])
    '["\\u003c/script\\u003e"]'
    """
    before, after = _around(json_script("v", _MARK))
    text = json_script("v", value)
    return text[len(before) - 1 : len(text) - len(after) + 1]


def _rows(rows: IO[str]) -> Iterator[IndexRow]:
    """The rows of the temporary file, from its start."""
    rows.seek(0)
    for line in rows:
        yield IndexRow.from_line(line)


def write_index(out: IO[str], rows: IO[str], summary: Summary) -> None:
    """The batch at a glance and the filterable list of documents, written to `out` with the
    rows streamed from `rows` twice: the table, then the facets for the filter script."""
    head, tail = _around(page("vnextract report", _MARK, FILTER_JS))
    out.write(head + index_top(summary))
    kinds = kind_order(summary.kinds)
    for i, row in enumerate(_rows(rows)):
        out.write(_row(i, row, kinds))
    out.write(TABLE_END + "</main>")
    opening, closing = _around(json_script("facets", [_MARK]))  # '...>["' and '"]</script>'
    out.write(opening.removesuffix('"'))
    for i, row in enumerate(_rows(rows)):
        out.write((", " if i else "") + json_value(row.facets))
    out.write(closing.removeprefix('"') + tail)


def write_report(documents: Iterable[dict[str, Any]], folder: Path) -> tuple[Path, int]:
    """Write one page per document as it is read, then index.html; returns its path and count.

    Nothing per document is kept in memory: rows wait in a temporary file in `folder`, and
    `index.html` is written under a temporary name, then moved into place. Pages left by an
    earlier report in the same folder are removed first.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if _OLD_PAGE.fullmatch(old.name) and old.is_file():
            old.unlink()
    summary, corpus = Summary(list_no_records=False), Corpus()
    count = 0
    pending: dict[str, Any] | None = None  # written once we know whether another follows
    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=folder) as rows:
        for doc in documents:
            if pending is not None:
                _write(folder / page_name(count - 1), document_page(pending, count - 1, False))
            summary.add(doc)
            corpus.add(doc)
            rows.write(IndexRow.of(doc).to_line())
            pending, count = doc, count + 1
        if pending is not None:
            _write(folder / page_name(count - 1), document_page(pending, count - 1, True))
        _write(folder / "corpus.html", page("vnextract corpus", _corpus_body(corpus)))
        index = folder / "index.html"
        part = folder / ".index.html.part"
        try:
            with part.open("w", encoding="utf-8") as out:
                write_index(out, rows, summary)
            os.replace(part, index)
        finally:
            part.unlink(missing_ok=True)
    return index, count


def _corpus_body(corpus: Corpus) -> str:
    back = '<a href="index.html">back to the report</a>'
    return f"<header><h1>Corpus</h1><div>{back}</div></header><main>{corpus_html(corpus)}</main>"


def _write(path: Path, html: str) -> None:
    path.write_text(html, encoding="utf-8")
