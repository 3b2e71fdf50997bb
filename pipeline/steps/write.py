"""Write: one JSON line per input document, always."""

from __future__ import annotations

import json

from pipeline.document import Document

# Characters that end a line for str.splitlines() and other readers but not for JSON: kept
# escaped, so that any line-based reader sees exactly one line per document.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def to_json_line(doc: Document) -> str:
    """The document's output line (no trailing newline), UTF-8 characters kept as they are
    but for the line separators above.

    >>> from pipeline.document import Document
    >>> line = to_json_line(Document(id="a\\u2028b", source={}))
    >>> len(line.splitlines()), json.loads(line)["id"] == "a\\u2028b"
    (1, True)
    """
    line = json.dumps(doc.to_dict(), ensure_ascii=False, separators=(",", ":"))
    if "\u2028" in line or "\u2029" in line or "\x85" in line:  # rare: translate is slow
        line = line.translate(_LINE_BREAKS)
    return line
