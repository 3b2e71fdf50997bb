"""What the finishers of a document's records may know about the document."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import regex

from pipeline.document import Record
from pipeline.ruleset.keywords import KeywordIndex, needed_spans

_BLANK = regex.compile(r"[^\S\n ]")  # blanks to make plain spaces (a space is one already)


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
    #: Problems that cost records but not the document (a rule over its time limit).
    errors: list[str] = field(default_factory=list)
    #: When a list, every rejected candidate is also described here (for `vnextract explain`).
    trace: list[dict[str, Any]] | None = None
    #: Seconds any one rule may spend on this text, and the whole document (regex timeouts).
    rule_seconds: float = 2.0
    doc_seconds: float = 20.0
    started: float = field(default_factory=time.monotonic)
    #: The rule set's prefilter keywords, and the line spans holding each (found on first use).
    keywords: KeywordIndex = field(default_factory=lambda: KeywordIndex(()))
    _keyword_lines: dict[str, list[tuple[int, int]]] | None = field(default=None, repr=False)
    #: Line spans holding any of each prefilter's keywords and what a rule needs, by the
    #: prefilter and the needed pattern (merged: see engine._ranges).
    prefiltered: dict[tuple[tuple[str, ...], str], list[tuple[int, int]]] = field(
        default_factory=dict
    )
    #: Where each needed pattern matches in the text (`needed_spans`).
    _needed: dict[str, list[tuple[int, int]]] = field(default_factory=dict, repr=False)
    _lowered: tuple[str, str] | None = field(default=None, repr=False)

    def start(self, text: str, lexicons: dict[str, dict[str, str]], keywords: KeywordIndex) -> None:
        """Set the text a rule set is about to run on, and forget what was found on another."""
        self.text, self.lexicons, self.keywords = text, lexicons, keywords
        self.prefiltered, self._keyword_lines, self._needed = {}, None, {}

    def keyword_lines(self) -> dict[str, list[tuple[int, int]]]:
        """The line spans of the text holding each prefilter keyword, found in one pass."""
        if self._keyword_lines is None:
            self._keyword_lines = self.keywords.lines(self.lowered())
        return self._keyword_lines

    def needed_spans(self, pattern: regex.Pattern[str], timeout: float) -> list[tuple[int, int]]:
        """Where `pattern` matches in the text, scanned once per text for all the rules that
        need it (keywords.needed_spans; TimeoutError past `timeout` seconds)."""
        if pattern.pattern not in self._needed:
            self._needed[pattern.pattern] = needed_spans(pattern, self.text, timeout)
        return self._needed[pattern.pattern]

    def lowered(self) -> str:
        """The text in lower case with every blank but newlines a plain space, offset for
        offset (a letter whose lower case is longer, such as "İ", stays as it is), so that
        prefilter keywords are found as the patterns' `\\s+` would; computed once per text."""
        if self._lowered is None or self._lowered[0] is not self.text:
            low = self.text.lower()
            if len(low) != len(self.text):
                low = "".join(c if len(c.lower()) != 1 else c.lower() for c in self.text)
            self._lowered = (self.text, _BLANK.sub(" ", low))
        return self._lowered[1]

    def reject(self, rule: str, span: tuple[int, int], reason: str) -> None:
        """Count a candidate dropped on the way, and describe it when tracing."""
        self.counts[f"rejected.{reason}.{rule}"] += 1
        if self.trace is not None:
            self.trace.append(
                {
                    "rule": rule,
                    "span": list(span),
                    "text": self.text[span[0] : span[1]],
                    "reason": reason,
                }
            )

    def timeout(self, rule: str) -> float:
        """The regex timeout for `rule`'s next match; raises once the document's budget is spent."""
        left = self.doc_seconds - (time.monotonic() - self.started)
        if left <= 0:
            raise TimeoutError(
                f"rules ran over the document's {self.doc_seconds:g} s budget (at rule {rule})"
            )
        return min(self.rule_seconds, left)
