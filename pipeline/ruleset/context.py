"""What the finishers of a document's records may know about the document."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pipeline.document import Record


@dataclass
class Context:
    """One document's facts beyond its text, for resolving and linking records.

    `published` resolves dates without a year (never today's clock); `authors` (the bylines) are
    never officials; `date_line` is the span of
    the page's own date line, whose date is the publication date; `records` holds the kinds
    finished so far, so a later kind can link to an earlier one.
    """

    text: str = ""
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    date_line: tuple[int, int] | None = None
    lexicons: dict[str, dict[str, str]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    records: dict[str, list[Record]] = field(default_factory=dict)
