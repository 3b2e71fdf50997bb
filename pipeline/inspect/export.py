"""`vnextract export --sqlite`: a batch as an SQLite file (stdlib sqlite3) for SQL questions.

Tables `documents` and `records` have one column per common field and the full line or record
as JSON too; `provinces` (from rules/officials.yaml) lets queries group by province; `doc_text`
is an FTS5 index over titles and texts when this SQLite has FTS5. The file opens as it is in
`sqlite3`, DuckDB and Datasette.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipeline.config import BUILTIN_RULES
from pipeline.inspect.spans import record_span

SCHEMA = """
CREATE TABLE documents (
  id TEXT PRIMARY KEY, url TEXT, path TEXT, format TEXT, title TEXT, published TEXT,
  year INTEGER, site TEXT, authors TEXT, text TEXT, n_records INTEGER, n_errors INTEGER,
  errors TEXT, dropped TEXT, source TEXT
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


@dataclass
class ExportResult:
    documents: int
    records: int
    fts: bool


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _cell(value: Any) -> Any:
    """A field as an SQLite value: lists and objects as JSON text.

    >>> _cell(["Bí thư"]), _cell(5), _cell(True)
    ('["Bí thư"]', 5, 1)
    """
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, dict)):
        return _json(value)
    return value


def year_of(published: Any) -> int | None:
    """The year of an ISO publication time.

    >>> year_of("2024-03-04T09:15:00+07:00"), year_of(None)
    (2024, None)
    """
    text = str(published or "")
    return int(text[:4]) if text[:4].isdigit() else None


def _document_row(doc: dict[str, Any]) -> tuple[Any, ...]:
    source, meta = doc["source"], doc["meta"]
    return (
        doc["id"], source.get("url"), source.get("path"), source.get("format"), meta["title"],
        meta["published"], year_of(meta["published"]), meta["site"], _json(meta["authors"]),
        doc["text"], len(doc["records"]), len(doc["errors"]), _json(doc["errors"]),
        _json(doc["dropped"]), _json(source),
    )  # fmt: skip


def _record_row(doc: dict[str, Any], seq: int, rec: dict[str, Any]) -> tuple[Any, ...]:
    span = record_span(rec, len(doc["text"])) or (None, None)
    mentions = rec.get("mentions")
    return (
        doc["id"], seq, rec.get("type"), rec.get("rule"), span[0], span[1], rec.get("text"),
        *(_cell(rec.get(c)) for c in COLUMNS),
        len(mentions) if isinstance(mentions, list) else 1, _json(rec),
    )  # fmt: skip


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


def export_sqlite(documents: list[dict[str, Any]], target: Path) -> ExportResult:
    """Write a fresh database at `target` (replaced whole, only once complete)."""
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    first: dict[str, dict[str, Any]] = {}
    for doc in documents:
        first.setdefault(doc["id"], doc)  # an id written twice: the first line counts
    unique = list(first.values())
    rows = [_record_row(d, i, r) for d in unique for i, r in enumerate(d["records"], 1)]
    db = sqlite3.connect(tmp)
    try:
        db.executescript(SCHEMA)
        db.executemany(f"INSERT INTO documents VALUES ({','.join('?' * 15)})",
                       [_document_row(d) for d in unique])  # fmt: skip
        db.executemany(f"INSERT INTO records VALUES ({','.join('?' * (9 + len(COLUMNS)))})", rows)
        db.executemany("INSERT OR IGNORE INTO provinces VALUES (?)", [(p,) for p in provinces()])
        fts = _try_fts(db)
        db.commit()
    except BaseException:
        db.close()
        tmp.unlink(missing_ok=True)
        raise
    db.close()
    os.replace(tmp, target)
    return ExportResult(documents=len(unique), records=len(rows), fts=fts)
