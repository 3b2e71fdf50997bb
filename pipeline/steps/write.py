"""Write: one JSON line per input document, always."""

from __future__ import annotations

import json

from pipeline.document import Document


def to_json_line(doc: Document) -> str:
    """The document's output line (no trailing newline), UTF-8 characters kept as they are."""
    return json.dumps(doc.to_dict(), ensure_ascii=False, separators=(",", ":"))
