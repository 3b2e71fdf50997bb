"""Write: one JSON line per input document, always.

The line is strict JSON (no NaN or Infinity) in UTF-8, so that every JSON reader takes it.
What cannot be written as it is (a lone surrogate such as `"\\ud83d"` from a JSONL dump or a
file name in no encoding, a NaN copied from a dump, a value JSON has no type for) is replaced
in a sanitized copy of the document, and an error entry on its line says what was replaced:
the writer never fails on a document.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from pipeline.document import Document

# Characters that end a line for str.splitlines() and other readers but not for JSON: kept
# escaped, so that any line-based reader sees exactly one line per document.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})
_SURROGATE = re.compile("[\ud800-\udfff]")
#: Deeper values than this are written as null (json.dumps would hit the recursion limit).
MAX_DEPTH = 200
#: Problems named in the write error entry, at most (then "and N more").
SHOWN_PROBLEMS = 5


def escape_surrogates(text: str) -> str:
    """An id or path with its lone surrogates spelled out: `\\xNN` for a byte of a file name
    that was no UTF-8 (Python's surrogateescape), `\\uXXXX` for any other. Deterministic, so
    the same input gets the same id in every run (what `--resume` compares).

    >>> escape_surrogates("caf\\udce9.html"), escape_surrogates("a\\ud83db")
    ('caf\\\\xe9.html', 'a\\\\ud83db')
    """

    def spelled(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"

    return _SURROGATE.sub(spelled, text)


def output_id(doc_id: str) -> str:
    """The id as it is written: the same text unless it holds lone surrogates.

    >>> output_id("dump.jsonl:2")
    'dump.jsonl:2'
    """
    return doc_id if doc_id.isascii() else escape_surrogates(doc_id)


def _dumps(data: dict[str, Any]) -> str:
    """Strict JSON (ValueError on NaN/Infinity), UTF-8 characters as they are, one line;
    UnicodeEncodeError when it cannot be written as UTF-8."""
    line = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    if not line.isascii():
        line.encode("utf-8")  # lone surrogates raise here, not in the sink
        if "\u2028" in line or "\u2029" in line or "\x85" in line:  # rare: translate is slow
            line = line.translate(_LINE_BREAKS)
    return line


class _Sanitizer:
    """Makes a JSON-writable copy of a value and notes each replacement with its place.

    Strings keep their length (a lone surrogate becomes U+FFFD) so that record spans still
    point into the text; under `escape` (the id and the source) surrogates are spelled out.
    """

    def __init__(self) -> None:
        self.problems: list[str] = []

    def clean(self, value: Any, where: str, escape: bool = False, depth: int = 0) -> Any:
        """The value, made writable; `where` names its place for the problem notes."""
        if depth > MAX_DEPTH:
            self.problems.append(f"{where}: nested deeper than {MAX_DEPTH} levels (null)")
            return None
        if isinstance(value, str):
            return self._text(value, where, escape)
        if value is None or isinstance(value, (bool, int)):
            return value
        if isinstance(value, float):
            if math.isfinite(value):
                return value
            self.problems.append(f"{where}: {value!r} is not a JSON number (null)")
            return None
        if isinstance(value, dict):
            return {
                self._key(k, where, escape): self.clean(v, f"{where}.{k}", escape, depth + 1)
                for k, v in value.items()
            }
        if isinstance(value, (list, tuple)):
            return [self.clean(v, f"{where}[{i}]", escape, depth + 1) for i, v in enumerate(value)]
        self.problems.append(f"{where}: a {type(value).__name__} written as text")
        return self._text(str(value), where, escape)

    def _text(self, text: str, where: str, escape: bool) -> str:
        if text.isascii() or not _SURROGATE.search(text):
            return text
        self.problems.append(f"{where}: lone surrogate {'escaped' if escape else 'replaced'}")
        return escape_surrogates(text) if escape else _SURROGATE.sub("\ufffd", text)

    def _key(self, key: Any, where: str, escape: bool) -> str:
        if not isinstance(key, str):
            key = str(key)
        return self._text(key, f"{where} key", escape)

    def message(self) -> str:
        """The write error entry's message."""
        shown = "; ".join(self.problems[:SHOWN_PROBLEMS])
        more = len(self.problems) - SHOWN_PROBLEMS
        tail = f"; and {more} more" if more > 0 else ""
        return f"not writable as JSON, replaced: {shown}{tail}"


def sanitized(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of a document's dict that JSON can write, with a "write" error entry naming
    what was replaced (no entry when nothing was).

    >>> out = sanitized({"id": "d:2", "source": {"x": float("nan")}, "text": "\\ud83d",
    ...                  "errors": []})
    >>> out["source"], out["text"], out["errors"][0]["stage"]
    ({'x': None}, '\\ufffd', 'write')
    """
    fix = _Sanitizer()
    out = {
        key: fix.clean(value, key, escape=key in ("id", "source")) for key, value in data.items()
    }
    if fix.problems:
        errors = out.get("errors")
        entry = {"stage": "write", "message": fix.message()}
        out["errors"] = [*(errors if isinstance(errors, list) else []), entry]
    return out


def minimal_line(doc_id: str, problem: str) -> str:
    """The last resort: the document's id and an error, nothing else (always writable)."""
    return _dumps({
        "id": output_id(str(doc_id)),
        "source": {},
        "meta": {"title": None, "published": None, "authors": [], "site": None},
        "text": "",
        "records": [],
        "errors": [{"stage": "write", "message": escape_surrogates(problem)}],
        "notes": [],
        "dropped": [],
    })  # fmt: skip


def to_json_line(doc: Document) -> str:
    """The document's output line (no trailing newline), UTF-8 characters kept as they are
    but for the line separators above; never raises.

    >>> from pipeline.document import Document
    >>> line = to_json_line(Document(id="a\\u2028b", source={}))
    >>> len(line.splitlines()), json.loads(line)["id"] == "a\\u2028b"
    (1, True)
    >>> json.loads(to_json_line(Document(id="x", source={}, text="\\udcff")))["errors"][0]["stage"]
    'write'
    """
    try:
        data = doc.to_dict()
    except Exception as exc:  # noqa: BLE001 - a document must never stop the batch
        return minimal_line(doc.id, f"cannot be written: {type(exc).__name__}: {exc}")
    try:
        return _dumps(data)
    except (ValueError, TypeError, UnicodeEncodeError, RecursionError):
        pass  # rare: a value JSON or UTF-8 cannot hold; write a sanitized copy instead
    try:
        return _dumps(sanitized(data))
    except Exception as exc:  # noqa: BLE001
        return minimal_line(doc.id, f"cannot be written: {type(exc).__name__}: {exc}")
