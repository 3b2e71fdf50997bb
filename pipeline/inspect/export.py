"""`vnextract export --sqlite`: a batch as an SQLite file (stdlib sqlite3) for SQL questions.

Tables `documents` and `records` have one column per common field and the full line or record
as JSON too; `provinces` (from rules/officials.yaml) lets queries group by province; `doc_text`
is an FTS5 index over titles and texts when this SQLite has FTS5; the corpus tables (documents
cited by key, people, award tallies and participant counts) are described in corpus.py. The
file opens as it is in `sqlite3`, DuckDB and Datasette.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import yaml

from pipeline.config import BUILTIN_RULES
from pipeline.inspect.corpus import CORPUS_SQL
from pipeline.inspect.spans import record_span
from pipeline.safety import UnsafePath, replace_when_done, same_file

SCHEMA = """
CREATE TABLE documents (
  id TEXT PRIMARY KEY, url TEXT, path TEXT, format TEXT, title TEXT, published TEXT,
  year INTEGER, site TEXT, authors TEXT, text TEXT, n_records INTEGER, n_errors INTEGER,
  errors TEXT, notes TEXT, dropped TEXT, source TEXT
);
CREATE TABLE records (
  doc_id TEXT NOT NULL REFERENCES documents(id), seq INTEGER NOT NULL, type TEXT, rule TEXT,
  span_start INTEGER, span_end INTEGER, text TEXT, symbol TEXT, number TEXT, doc_type TEXT,
  type_code TEXT, issued TEXT, value TEXT, role TEXT, name TEXT, titles TEXT, count INTEGER,
  unit TEXT, award TEXT, grantor TEXT, individuals INTEGER, collectives INTEGER,
  total INTEGER, mentions INTEGER, record TEXT, PRIMARY KEY (doc_id, seq)
);
CREATE TABLE provinces (name TEXT PRIMARY KEY);
CREATE INDEX records_type ON records(type);
CREATE INDEX records_rule ON records(rule);
CREATE INDEX records_symbol ON records(symbol);
CREATE INDEX records_value ON records(value);
CREATE INDEX records_name ON records(name);
CREATE INDEX documents_site ON documents(site);
CREATE INDEX documents_published ON documents(published);
"""
#: Record fields copied to their own column as they are (lists become JSON text).
COLUMNS = ("symbol", "number", "doc_type", "type_code", "issued", "value", "role", "name",
           "titles", "count", "unit", "award", "grantor", "individuals", "collectives",
           "total")  # fmt: skip
#: Documents inserted at a time; an id seen before is ignored (the loader warns of it).
BATCH = 200
INSERT_DOCUMENT = f"INSERT OR IGNORE INTO documents VALUES ({', '.join('?' * 16)})"
INSERT_RECORD = f"INSERT OR IGNORE INTO records VALUES ({', '.join('?' * (9 + len(COLUMNS)))})"
#: The first bytes of every SQLite 3 database file.
SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass
class ExportResult:
    """What was written: documents, records, and whether the full-text table is there."""

    documents: int
    records: int
    fts: bool


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _cell(value: Any) -> Any:
    """A field as an SQLite value: lists and objects as JSON text, too big integers as text
    (which an INTEGER column keeps as REAL; the `record` column has them exact).

    >>> _cell(["Bí thư"]), _cell(5), _cell(True), _cell(2**70)
    ('["Bí thư"]', 5, 1, '1180591620717411303424')
    """
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        return str(value)
    if isinstance(value, (list, dict)):
        return _json(value)
    return value


def year_of(published: Any) -> int | None:
    """The year of an ISO publication time.

    >>> year_of("2024-03-04T09:15:00+07:00"), year_of(None)
    (2024, None)
    """
    text = str(published or "")
    return int(text[:4]) if text[:4].isdecimal() else None


def _document_row(doc: dict[str, Any]) -> tuple[Any, ...]:
    source, meta = doc["source"], doc["meta"]
    return tuple(map(_cell, (
        doc["id"], source.get("url"), source.get("path"), source.get("format"), meta["title"],
        meta["published"], year_of(meta["published"]), meta["site"], meta["authors"],
        doc["text"], len(doc["records"]), len(doc["errors"]), doc["errors"], doc.get("notes", []),
        doc["dropped"], source,
    )))  # fmt: skip


def _record_rows(doc: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    for seq, rec in enumerate(doc["records"], 1):
        span = record_span(rec, len(doc["text"])) or (None, None)
        mentions = rec.get("mentions")
        yield tuple(map(_cell, (
            doc["id"], seq, rec["type"], rec["rule"], span[0], span[1], rec["text"],
            *(rec.get(c) for c in COLUMNS),
            len(mentions) if isinstance(mentions, list) else 1, rec,
        )))  # fmt: skip


def _one(value: Any) -> tuple[Any]:
    return (value,)


def _try_fts(db: sqlite3.Connection) -> bool:
    """Create the FTS5 table over titles and texts; False when this SQLite lacks FTS5."""
    try:
        db.execute("CREATE VIRTUAL TABLE doc_text USING fts5(doc_id UNINDEXED, title, text)")
    except sqlite3.OperationalError:
        return False
    db.execute("INSERT INTO doc_text SELECT id, title, text FROM documents")
    return True


def provinces() -> list[str]:
    """Province names from the officials lexicon (what titles and headlines name)."""
    pack = yaml.safe_load((BUILTIN_RULES / "officials.yaml").read_text(encoding="utf-8"))
    return [str(p) for p in pack.get("lexicons", {}).get("provinces", [])]


def _insert(db: sqlite3.Connection, documents: Iterable[dict[str, Any]]) -> ExportResult:
    """Insert the documents and their records a batch at a time, as they are read."""
    result = ExportResult(documents=0, records=0, fts=False)
    docs = iter(documents)
    while batch := list(islice(docs, BATCH)):
        before = db.total_changes
        db.executemany(INSERT_DOCUMENT, map(_document_row, batch))
        result.documents += db.total_changes - before
        before = db.total_changes
        db.executemany(INSERT_RECORD, (row for doc in batch for row in _record_rows(doc)))
        result.records += db.total_changes - before
    return result


def is_sqlite_file(path: Path) -> bool:
    """An SQLite database file, or an empty file (what SQLite makes of one)."""
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_HEADER))
    return not head or head == SQLITE_HEADER


def check_target(target: Path, inputs: Iterable[Path]) -> None:
    """Refuse (UnsafePath) a database path that export must not replace: one of the files it
    reads, something other than a regular file, or a file that is not an SQLite database."""
    if any(same_file(target, source) for source in inputs):
        raise UnsafePath(f"cannot write {target}: it is the output being exported; not replaced")
    if not target.parent.is_dir():
        raise UnsafePath(f"cannot write {target}: no such folder: {target.parent}")
    if not target.exists():
        return
    if not target.is_file():
        raise UnsafePath(f"cannot write {target}: exists and is not a regular file; not replaced")
    if not is_sqlite_file(target):
        raise UnsafePath(f"cannot write {target}: exists and is not an SQLite file; not replaced")


def export_sqlite(documents: Iterable[dict[str, Any]], target: Path) -> ExportResult:
    """Write a fresh database at `target`: built under a temporary name beside it and moved
    over `target` only once complete (a failure or a kill leaves the old file as it was).

    Documents are written as they are read; an id seen before is left out (the loader warns).
    """
    with replace_when_done(target, suffix=".tmp") as tmp:
        db = sqlite3.connect(tmp)
        try:
            db.executescript(SCHEMA)
            result = _insert(db, documents)
            db.executemany(
                "INSERT OR IGNORE INTO provinces VALUES (?)", [(p,) for p in provinces()]
            )
            result.fts = _try_fts(db)
            db.executescript(CORPUS_SQL)
            db.commit()
        finally:
            db.close()
    return result
