"""`vnextract show`: one document or a whole batch in the terminal, with `rich`.

A document's metadata, its text with every record's span highlighted by kind, and a table of
records; `--summary` counts per kind, rule, site and error. In a pipe there is no colour, so
spans are written `⟦...⟧{kind}` instead.
"""

from __future__ import annotations

import os
import sys
from typing import IO, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from pipeline.inspect.spans import bracketed, record_span
from pipeline.inspect.summary import Summary, kind_order, one_line, record_fields

STYLES = {
    "document_ref": "black on cyan",
    "date": "black on green",
    "official": "black on yellow",
    "participant_count": "white on magenta",
    "award": "white on red",
}
OTHER_STYLE = "reverse"
PIPE_WIDTH = 120


def make_console(file: IO[str] | None = None) -> Console:
    """A console that colours a terminal only; page text is never read as rich markup.

    A pipe gets 120 columns (rich would take 80) unless COLUMNS says otherwise.
    """
    out = file or sys.stdout
    tty = hasattr(out, "isatty") and out.isatty()
    width = None if tty or os.environ.get("COLUMNS") else PIPE_WIDTH
    return Console(
        file=out, force_terminal=None, width=width, highlight=False, markup=False, emoji=False
    )


def _plain(console: Console) -> bool:
    return console.color_system is None or console.no_color


def find_document(documents: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """The document with id `key`, else number `key` (1-based), else the one id ending so."""
    for doc in documents:
        if doc["id"] == key:
            return doc
    if key.lstrip("#").isdigit() and 0 < int(key.lstrip("#")) <= len(documents):
        return documents[int(key.lstrip("#")) - 1]
    found = [d for d in documents if d["id"].endswith(key)]
    if len(found) == 1:
        return found[0]
    if found:
        raise LookupError(f"{key!r} matches {len(found)} documents: give more of the id")
    raise LookupError(f"no document {key!r} (give its id, the end of it, or its number)")


def selected(doc: dict[str, Any], kind: str | None) -> list[dict[str, Any]]:
    """The document's records, only those of `kind` when one is given."""
    return [r for r in doc["records"] if kind is None or r.get("type") == kind]


def highlighted(doc: dict[str, Any], records: list[dict[str, Any]], plain: bool) -> Text:
    """The text with each record's span styled by kind (inner spans drawn over outer ones)."""
    text = doc["text"]
    spans = [(s, str(r.get("type"))) for r in records if (s := record_span(r, len(text)))]
    if plain:
        return Text(bracketed(text, [(a, b, kind) for (a, b), kind in spans]))
    out = Text(text)
    for (a, b), kind in sorted(spans, key=lambda x: (x[0][0] - x[0][1], x[0][0])):
        out.stylize(STYLES.get(kind, OTHER_STYLE), a, b)
    return out


def metadata_table(doc: dict[str, Any]) -> Table:
    """Id, source, title, publication time, authors, site, counts."""
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    source = doc["source"]
    meta = doc["meta"]
    rows = [
        ("id", doc["id"]),
        ("source", str(source.get("url") or source.get("path") or "")),
        ("format", str(source.get("format") or "")),
        ("title", meta["title"] or ""),
        ("published", meta["published"] or ""),
        ("authors", ", ".join(meta["authors"])),
        ("site", meta["site"] or ""),
        ("records", str(len(doc["records"]))),
        ("dropped", str(len(doc["dropped"]))),
    ]
    for name, value in rows:
        table.add_row(name, Text(value))
    return table


def records_table(records: list[dict[str, Any]], text: str) -> Table:
    """One row per record: number and span, kind (in its colour), text, fields and rule."""
    table = Table(title="records", title_justify="left", show_lines=False, expand=False)
    table.add_column("#", no_wrap=True, justify="right")
    table.add_column("kind", no_wrap=True)
    table.add_column("text", ratio=2, overflow="fold")
    table.add_column("fields", ratio=3, overflow="fold")
    table.add_column("rule", no_wrap=True)
    for i, rec in enumerate(records, 1):
        kind = str(rec.get("type"))
        span = record_span(rec, len(text))
        fields = "\n".join(f"{k}: {one_line(v)}" for k, v in record_fields(rec).items())
        table.add_row(
            f"{i}\n{span[0]}-{span[1]}" if span else str(i),
            Text(kind, style=STYLES.get(kind, OTHER_STYLE)),
            Text(str(rec.get("text", ""))),
            Text(fields),
            Text(str(rec.get("rule", ""))),
        )
    return table


def render_document(console: Console, doc: dict[str, Any], kind: str | None = None) -> None:
    """Everything about one document: metadata, errors, highlighted text, records."""
    records = selected(doc, kind)
    console.rule(Text(doc["meta"]["title"] or doc["id"], style="bold"))
    console.print(metadata_table(doc))
    for err in doc["errors"]:
        line = f"error ({err.get('stage', '?')}): {err.get('message', '')}"
        console.print(Text(line, style="bold red"))
    if kind is None or records:
        legend = Text("kinds: ")
        for name in kind_order({str(r.get("type")) for r in records}):
            legend.append(f" {name} ", style=STYLES.get(name, OTHER_STYLE)).append(" ")
        console.print(legend)
    console.print()
    console.print(highlighted(doc, records, _plain(console)), soft_wrap=not console.is_terminal)
    console.print()
    if records:
        console.print(records_table(records, doc["text"]))
    else:
        console.print(Text(f"no {kind} records" if kind else "no records"))


def _counts(title: str, headers: tuple[str, ...], rows: list[tuple[Any, ...]]) -> Table | Text:
    if not rows:
        return Text(f"{title}: none")
    table = Table(title=title, title_justify="left")
    for i, name in enumerate(headers):
        table.add_column(name, justify="right" if i == len(headers) - 1 else "left")
    for row in rows:
        table.add_row(*(Text(str(v)) for v in row))
    return table


def render_summary(console: Console, summary: Summary) -> None:
    """Counts per kind, rule, site, error stage, dropped reason; documents with no records."""
    console.print(
        Text(
            f"{summary.documents} documents, {summary.records} records, "
            f"{summary.with_errors} with errors, "
            f"{len(summary.no_records)} with no records",
            style="bold",
        )
    )
    kinds = [(k, summary.kinds[k]) for k in kind_order(summary.kinds)]
    order = kind_order(summary.kinds)
    rules = sorted(summary.rules.items(), key=lambda x: (order.index(x[0][0]), -x[1], x[0][1]))
    console.print(_counts("records per kind", ("kind", "records"), kinds))
    console.print(
        _counts("records per rule", ("kind", "rule", "records"), [(*k, n) for k, n in rules])
    )
    console.print(_counts("documents per site", ("site", "documents"), summary.sites.most_common()))
    console.print(_counts("errors per stage", ("stage", "errors"), summary.errors.most_common()))
    console.print(_counts("dropped lines", ("reason", "lines"), summary.dropped.most_common()))
    console.print(_counts("documents with no records", ("id", "title"), summary.no_records))
