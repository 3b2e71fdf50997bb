"""`vnextract show`: one document or a whole batch in the terminal, with `rich`.

A document's metadata, its text with every record's span highlighted by kind, and a table of
records; `--summary` counts per kind, rule, site and error. In a pipe there is no colour, so
spans are written `⟦...⟧{kind}` instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import IO, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from pipeline.inspect.charts import kind_color
from pipeline.inspect.spans import bracketed, later_mentions, record_span
from pipeline.inspect.summary import Summary, field_text, kind_order, meta_rows, record_fields

STYLES = {
    "document_ref": "black on cyan",
    "date": "black on green",
    "official": "black on yellow",
    "participant_count": "white on magenta",
    "award": "white on red",
}
PIPE_WIDTH = 120


def style_of(kind: str) -> str:
    """A record kind's style: a built-in kind's own, else its colour of the user kinds'
    palette (the same as in the report).

    >>> style_of("date"), style_of("money_raised").startswith("black on #")
    ('black on green', True)
    """
    return STYLES.get(kind) or f"black on {kind_color(kind)}"


def mention_style(kind: str) -> str:
    """How a record's later mentions are shown: underlined in the kind's colour.

    >>> mention_style("date")
    'underline #8fd694'
    """
    return f"underline {kind_color(kind)}"


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


#: Each C0 and C1 control but newline and tab, as one visible character.
_VISIBLE = {
    **{c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)},
    0x7F: 0x2421,
    **{c: 0xFFFD for c in range(0x80, 0xA0)},
}


def visible(text: str) -> str:
    """`text` with every control character but newline and tab drawn as one visible character.

    Page text then cannot move the cursor or clear the screen, and (one character for one)
    spans into the text still fit; rich would silently delete \\r, \\b and the like.

    >>> visible("a\\x1b[2J\\rb\\tc\\x85")
    'a␛[2J␍b\\tc�'
    """
    return text.translate(_VISIBLE)


def _plain(console: Console) -> bool:
    return console.color_system is None or console.no_color


def find_document(documents: Iterable[dict[str, Any]], key: str) -> dict[str, Any]:
    """The document with id `key`, else number `key` (1-based), else the one id ending so.

    Reading stops at the document with that id; otherwise every document is looked at.
    """
    digits = key.lstrip("#")
    number = int(digits) if digits.isdecimal() else 0
    nth: dict[str, Any] | None = None
    ending: list[dict[str, Any]] = []
    for i, doc in enumerate(documents, 1):
        if doc["id"] == key:
            return doc
        if i == number:
            nth = doc
        if doc["id"].endswith(key) and len(ending) < 2:
            ending.append(doc)
    if nth is not None:
        return nth
    if len(ending) == 1:
        return ending[0]
    if ending:
        raise LookupError(f"{key!r} matches several documents: give more of the id")
    raise LookupError(f"no document {key!r} (give its id, the end of it, or its number)")


def selected(doc: dict[str, Any], kind: str | None) -> list[dict[str, Any]]:
    """The document's records, only those of `kind` when one is given."""
    return [r for r in doc["records"] if kind is None or r["type"] == kind]


def highlighted(doc: dict[str, Any], records: list[dict[str, Any]], plain: bool) -> Text:
    """The text with each record's span styled by kind (inner spans drawn over outer ones) and
    its later mentions underlined in that colour (in a pipe: `⟦...⟧{kind mention}`)."""
    text = doc["text"]
    spans = [(*s, r["type"]) for r in records if (s := record_span(r, len(text)))]
    mentions = [(*m, r["type"]) for r in records for m in later_mentions(r, len(text))]
    if plain:
        marked = spans + [(a, b, f"{kind} mention") for a, b, kind in mentions]
        return Text(visible(bracketed(text, marked)))
    out = Text(visible(text))
    for a, b, kind in mentions:
        out.stylize(mention_style(kind), a, b)
    for a, b, kind in sorted(spans, key=lambda x: (x[0] - x[1], x[0])):
        out.stylize(style_of(kind), a, b)
    return out


def metadata_table(doc: dict[str, Any], kind: str | None = None) -> Table:
    """Id, source, title, publication time, authors, site, counts (of `kind`, when given)."""
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    count = str(len(doc["records"]))
    if kind:
        count = f"{len(selected(doc, kind))} {kind} (of {count})"
    rows = [*meta_rows(doc), ("records", count)]
    rows.append(("dropped", str(len(doc["dropped"]))))
    for name, value in rows:
        if value:
            table.add_row(Text(visible(name)), Text(visible(value)))
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
        kind = rec["type"]
        span = record_span(rec, len(text))
        fields = "\n".join(f"{k}: {field_text(k, v)}" for k, v in record_fields(rec).items())
        table.add_row(
            f"{i}\n{span[0]}-{span[1]}" if span else str(i),
            Text(visible(kind), style=style_of(kind)),
            Text(visible(rec["text"])),
            Text(visible(fields)),
            Text(visible(rec["rule"])),
        )
    return table


def render_document(console: Console, doc: dict[str, Any], kind: str | None = None) -> None:
    """Everything about one document: metadata, errors and notes, highlighted text, records."""
    records = selected(doc, kind)
    console.rule(Text(visible(doc["meta"]["title"] or doc["id"]), style="bold"))
    console.print(metadata_table(doc, kind))
    for err in doc["errors"]:
        line = f"error ({err.get('stage', '?')}): {err.get('message', '')}"
        console.print(Text(visible(line), style="bold red"))
    for note in doc.get("notes", []):
        line = f"note ({note.get('stage', '?')}): {note.get('message', '')}"
        console.print(Text(visible(line), style="yellow"))
    if kind is None or records:
        legend = Text("kinds: ")
        for name in kind_order({r["type"] for r in records}):
            legend.append(f" {visible(name)} ", style=style_of(name)).append(" ")
        console.print(legend)
    console.print()
    console.print(highlighted(doc, records, _plain(console)), soft_wrap=not console.is_terminal)
    console.print()
    if records:
        console.print(records_table(records, doc["text"]))
        for i, rec in enumerate(records, 1):  # what a converter could not read, in full
            for problem in rec.get("errors") or []:
                line = f"record {i} ({rec.get('rule', '')}): error: {problem}"
                console.print(Text(visible(line), style="bold red"))
    else:
        console.print(Text(f"no {visible(kind)} records" if kind else "no records"))


def _counts(title: str, headers: tuple[str, ...], rows: list[tuple[Any, ...]]) -> Table | Text:
    if not rows:
        return Text(f"{title}: none")
    table = Table(title=title, title_justify="left")
    for i, name in enumerate(headers):
        table.add_column(name, justify="right" if i == len(headers) - 1 else "left")
    for row in rows:
        table.add_row(*(Text(visible(str(v))) for v in row))
    return table


def render_summary(console: Console, summary: Summary) -> None:
    """Counts per kind, rule, site, error stage, dropped reason; documents with no records."""
    records = f"{visible(summary.kind)} records" if summary.kind else "records"
    console.print(
        Text(
            f"{summary.documents} documents, {summary.records} {records}, "
            f"{summary.with_errors} with errors, "
            f"{len(summary.no_records)} with no {records}",
            style="bold",
        )
    )
    kinds = [(k, summary.kinds[k]) for k in kind_order(summary.kinds)]
    console.print(_counts(f"{records} per kind", ("kind", "records"), kinds))
    console.print(_counts(f"{records} per rule", ("kind", "rule", "records"), summary.rule_rows()))
    console.print(_counts("documents per site", ("site", "documents"), summary.sites.most_common()))
    console.print(_counts("errors per stage", ("stage", "errors"), summary.errors.most_common()))
    console.print(_counts("dropped lines", ("reason", "lines"), summary.dropped.most_common()))
    console.print(_counts(f"documents with no {records}", ("id", "title"), summary.no_records))
