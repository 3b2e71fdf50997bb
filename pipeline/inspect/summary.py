"""Batch-wide counts for `show --summary` and the report's index: kinds, rules, sites, errors.

Also the small formatting helpers the terminal and HTML views share (a record's own fields,
a value as one line, the key under which document references are counted).
"""

from __future__ import annotations

import json
from collections import Counter
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
    """Counts over a batch; `no_records` holds (id, title) of documents without records."""

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


def summarize(documents: list[dict[str, Any]]) -> Summary:
    """Counts per kind, rule, site, error stage, dropped reason and month; cited references.

    `refs` counts the documents citing each reference (a reference cited twice in one page
    counts once), which is what "most cited" means across a batch.
    """
    out = Summary(documents=len(documents))
    for doc in documents:
        records = doc["records"]
        out.records += len(records)
        out.kinds.update(str(r.get("type")) for r in records)
        out.rules.update((str(r.get("type")), str(r.get("rule"))) for r in records)
        out.sites[doc["meta"]["site"] or NO_SITE] += 1
        out.errors.update(str(e.get("stage", "?")) for e in doc["errors"])
        out.with_errors += bool(doc["errors"])
        out.dropped.update(str(d.get("reason", "?")) for d in doc["dropped"])
        out.months[month_of(doc["meta"]["published"])] += 1
        out.refs.update({ref_key(r) for r in records if r.get("type") == "document_ref"})
        if not records:
            out.no_records.append((doc["id"], doc["meta"]["title"] or ""))
    return out


def month_of(published: Any) -> str:
    """The `YYYY-MM` of an ISO publication time, or NO_DATE.

    >>> month_of("2024-03-04T09:15:00+07:00"), month_of("2023"), month_of(None)
    ('2024-03', '(no date)', '(no date)')
    """
    text = str(published or "")
    if len(text) >= 7 and text[:4].isdigit() and text[4] == "-" and text[5:7].isdigit():
        return text[:7]
    return NO_DATE
