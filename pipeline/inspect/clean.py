"""Make one output line safe for the viewers: every field of the type they expect.

A line from elsewhere (an older version, a hand-edited file, another tool) may hold a number
where a title belongs, a span past the end of the text or a lone surrogate; the viewers then
show what is there instead of failing with a traceback.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: A lone surrogate in a string, or the JSON escape that would make one.
_SURROGATE = re.compile("[\ud800-\udfff]")
MAYBE_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]|[\ud800-\udfff]")


def no_surrogates(value: Any) -> Any:
    """`value` with every lone surrogate in its strings (keys too) replaced by U+FFFD.

    Valid pairs are joined by `json.loads`, so what is left cannot be written as UTF-8.

    >>> no_surrogates({"a\\ud83d": ["x\\udc00", 1]})
    {'a�': ['x�', 1]}
    """
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [no_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {no_surrogates(k): no_surrogates(v) for k, v in value.items()}
    return value


def text_of(value: Any) -> str | None:
    """A field as text: None stays None, other non-strings become their JSON.

    >>> text_of(None), text_of("a"), text_of(5), text_of(True), text_of(["x"])
    (None, 'a', '5', 'true', '["x"]')
    """
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def is_span(value: Any, length: int) -> bool:
    """Whether `value` is `[start, end]`, two whole numbers (not booleans) within the text.

    >>> is_span([2, 5], 9), is_span([2, 50], 9), is_span([True, 5], 9), is_span("2-5", 9)
    (True, False, False, False)
    """
    if not isinstance(value, list) or len(value) != 2:
        return False
    if not all(type(v) is int for v in value):
        return False
    return bool(0 <= value[0] <= value[1] <= length)


def _of(value: Any, kind: type, default: Any) -> Any:
    """`value` when it is of `kind`, else `default` (a line from elsewhere may lack keys)."""
    return value if isinstance(value, kind) else default


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def _texts(item: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """`item` with the values of `keys` that it has as text."""
    return {k: text_of(v) if k in keys else v for k, v in item.items()}


def clean_record(record: dict[str, Any], length: int) -> dict[str, Any]:
    """A record with text `type`, `rule`, `text`; a bad span or mentions is dropped and noted.

    >>> clean_record({"type": 3, "span": [0, 99], "text": "a", "rule": "r"}, 10)
    {'type': '3', 'span': None, 'text': 'a', 'rule': 'r', 'problem': 'span [0, 99] is not \
two whole numbers within the text (not highlighted)'}
    """
    out = dict(record)
    for key in ("type", "rule", "text"):
        out[key] = text_of(record.get(key)) or ""
    notes = []
    span = record.get("span")
    if span is not None and not is_span(span, length):
        out["span"] = None
        notes.append(f"span {text_of(span)} is not two whole numbers within the text")
    mentions = record.get("mentions")
    if mentions is not None and not (
        isinstance(mentions, list) and all(is_span(m, length) for m in mentions)
    ):
        del out["mentions"]
        notes.append(f"mentions {str(text_of(mentions))[:80]} are not spans within the text")
    if notes:
        out["problem"] = "; ".join(notes) + " (not highlighted)"
    return out


def complete(doc: dict[str, Any], doc_id: str | None = None) -> dict[str, Any]:
    """The line with every key of the output format present and of its type (no guards needed).

    >>> d = complete({"id": "a", "meta": {"title": 7, "authors": "x"}})
    >>> d["meta"]["title"], d["meta"]["authors"], d["records"], d["text"]
    ('7', [], [], '')
    """
    meta: dict[str, Any] = _of(doc.get("meta"), dict, {})
    source: dict[str, Any] = _of(doc.get("source"), dict, {})
    text: str = _of(doc.get("text"), str, "")
    authors: list[Any] = _of(meta.get("authors"), list, [])
    out = dict(doc)
    out["id"] = str(doc.get("id")) if doc_id is None else doc_id
    out["source"] = _texts(source, ("url", "path", "format"))
    out["meta"] = {
        "title": text_of(meta.get("title")),
        "published": text_of(meta.get("published")),
        "authors": [a for a in map(text_of, authors) if a],
        "site": text_of(meta.get("site")),
    }
    out["text"] = text
    out["records"] = [clean_record(r, len(text)) for r in _dicts(doc.get("records"))]
    out["errors"] = [_texts(e, ("stage", "message")) for e in _dicts(doc.get("errors"))]
    out["notes"] = [_texts(e, ("stage", "message")) for e in _dicts(doc.get("notes"))]
    out["dropped"] = [_texts(d, ("reason", "text")) for d in _dicts(doc.get("dropped"))]
    return out
