"""Batch-wide counts for `show --summary` and the report's index: kinds, rules, sites, errors.

Also the small formatting helpers the terminal and HTML views share (a record's own fields,
a value as one line, the key under which document references are counted).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pipeline.evaluate import KINDS

#: Keys every record has; the rest are the record's own fields.
BASE_KEYS = ("type", "span", "text", "rule")
NO_SITE = "(no site)"
NO_DATE = "(no date)"


def kind_order(kinds: set[str] | Counter[str]) -> list[str]:
    """The known kinds in the README's order, then any others alphabetically.

    >>> kind_order({"award", "zz", "date"})
    ['date', 'award', 'zz']
    """
    return [k for k in KINDS if k in kinds] + sorted(k for k in kinds if k not in KINDS)


def record_fields(record: dict[str, Any]) -> dict[str, Any]:
    """A record's own fields: not the base keys, not `mentions`, not empty ones.

    >>> record_fields({"type": "date", "span": [0, 4], "text": "2024", "rule": "r",
    ...                "value": "2024", "also": [], "mentions": [[0, 4]]})
    {'value': '2024'}
    """
    return {
        k: v
        for k, v in record.items()
        if k not in BASE_KEYS and k != "mentions" and v not in (None, [], {}, "")
    }


def one_line(value: Any) -> str:
    """A field value as short text: lists joined with "; ", objects as compact JSON.

    >>> one_line(["Bí thư Huyện ủy", "Chủ tịch HĐND huyện"]), one_line({"count": 86})
    ('Bí thư Huyện ủy; Chủ tịch HĐND huyện', '{"count": 86}')
    """
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return "; ".join(str(v) for v in value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def field_text(name: str, value: Any) -> str:
    """A field as short text, the structured ones read as a person would: a document's
    `registry` facts and what they filled, an official's `positions`.

    >>> field_text("registry", {"symbol": "25-NQ/TW", "issued": "2013-06-03", "term": "XI",
    ...     "issuer": "Ban Chấp hành Trung ương Đảng", "filled": ["issued"], "conflicts": []})
    '25-NQ/TW · 2013-06-03 · Ban Chấp hành Trung ương Đảng · khóa XI; filled: issued'
    >>> field_text("positions", [{"role": "Chủ tịch", "organisation": "Ủy ban nhân dân tỉnh",
    ...     "level": "province", "place": None, "status": None, "as_written": "Chủ tịch UBND"}])
    'Chủ tịch · Ủy ban nhân dân tỉnh · province'
    """
    if name == "registry" and isinstance(value, dict):
        term = f"khóa {value['term']}" if value.get("term") else None
        parts = [value.get("symbol"), value.get("issued"), value.get("issuer"), term]
        text = " · ".join(str(p) for p in parts if p)
        if value.get("filled"):
            text += "; filled: " + ", ".join(map(str, value["filled"]))
        for c in value.get("conflicts") or []:
            text += f"; {c.get('field')}: page {c.get('page')}, registry {c.get('registry')}"
        return text
    if name == "positions" and isinstance(value, list) and all(isinstance(v, dict) for v in value):
        keys = ("role", "organisation", "level", "place", "status")
        return "; ".join(" · ".join(str(p[k]) for k in keys if p.get(k)) for p in value)
    return one_line(value)


def ref_key(record: dict[str, Any]) -> str:
    """What a document reference is counted as: its symbol, else its kind and number.

    >>> ref_key({"symbol": None, "doc_type": "Kết luận", "number": "57", "text": "KL 57"})
    'Kết luận 57'
    """
    if record.get("symbol"):
        return str(record["symbol"])
    if record.get("doc_type") and record.get("number"):
        return f"{record['doc_type']} {record['number']}"
    return str(record.get("text", ""))


@dataclass
class Summary:
    """Counts over a batch (of one `kind` of record when given), added a document at a time.

    `without_records` counts the documents without records and `no_records` lists their (id,
    title), unless `list_no_records` is false (then nothing grows with the batch but the
    distinct sites, rules and references); `refs` counts the documents citing each reference
    (twice in one page counts once): "most cited" in a batch.
    """

    kind: str | None = None
    documents: int = 0
    records: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    rules: Counter[tuple[str, str]] = field(default_factory=Counter)
    sites: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    with_errors: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    months: Counter[str] = field(default_factory=Counter)
    refs: Counter[str] = field(default_factory=Counter)
    no_records: list[tuple[str, str]] = field(default_factory=list)
    without_records: int = 0
    list_no_records: bool = True

    def add(self, doc: dict[str, Any]) -> None:
        """Count one document."""
        records = [r for r in doc["records"] if self.kind is None or r["type"] == self.kind]
        self.documents += 1
        self.records += len(records)
        self.kinds.update(r["type"] for r in records)
        self.rules.update((r["type"], r["rule"]) for r in records)
        self.sites[doc["meta"]["site"] or NO_SITE] += 1
        self.errors.update(str(e.get("stage", "?")) for e in doc["errors"])
        self.with_errors += bool(doc["errors"])
        self.dropped.update(str(d.get("reason", "?")) for d in doc["dropped"])
        self.months[month_of(doc["meta"]["published"])] += 1
        self.refs.update({ref_key(r) for r in records if r["type"] == "document_ref"})
        if not records:
            self.without_records += 1
            if self.list_no_records:
                self.no_records.append((doc["id"], doc["meta"]["title"] or ""))

    def rule_rows(self) -> list[tuple[str, str, int]]:
        """(kind, rule, records) in kind order, then most used first."""
        order = kind_order(self.kinds)
        rows = sorted(self.rules.items(), key=lambda x: (order.index(x[0][0]), -x[1], x[0][1]))
        return [(kind, rule, n) for (kind, rule), n in rows]


def summarize(documents: Iterable[dict[str, Any]], kind: str | None = None) -> Summary:
    """Counts per kind, rule, site, error stage, dropped reason and month; cited references."""
    out = Summary(kind=kind)
    for doc in documents:
        out.add(doc)
    return out


def meta_rows(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """A document's metadata as (name, text) rows: id, source, title, date, authors, site.

    >>> meta_rows({"id": "a", "source": {"path": "p", "crawl": 2}, "meta": {"title": "T",
    ...            "published": None, "authors": ["X", "Y"], "site": None}})
    [('id', 'a'), ('url', ''), ('path', 'p'), ('format', ''), ('title', 'T'), \
('published', ''), ('authors', 'X, Y'), ('site', ''), ('crawl', '2')]
    """
    source, meta = doc["source"], doc["meta"]
    rows = [("id", doc["id"])]
    rows += [(k, one_line(source.get(k) or "")) for k in ("url", "path", "format")]
    rows += [
        ("title", meta["title"] or ""),
        ("published", meta["published"] or ""),
        ("authors", ", ".join(meta["authors"])),
        ("site", meta["site"] or ""),
    ]
    extra = {k: v for k, v in source.items() if k not in ("url", "path", "format")}
    return rows + [(str(k), one_line(v)) for k, v in extra.items()]


def month_of(published: Any) -> str:
    """The `YYYY-MM` of an ISO publication time, or NO_DATE.

    >>> month_of("2024-03-04T09:15:00+07:00"), month_of("2023"), month_of(None)
    ('2024-03', '(no date)', '(no date)')
    """
    text = str(published or "")
    if len(text) >= 7 and text[:4].isdecimal() and text[4] == "-" and text[5:7].isdecimal():
        return text[:7]
    return NO_DATE
