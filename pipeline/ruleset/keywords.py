"""Prefilter keywords: the lines of a text that hold each keyword, found in one pass.

A rule runs only on the lines holding one of its keywords (`prefilter:`). The packs name some
360 keywords; looked for one by one (`str.find`), they cost a pass over the text each. Here
they make one trie-shaped pattern (`lexicon.alternation`) tried at every position in a
lookahead: it gives the longest keyword starting there, and the keywords that are its
prefixes start there too. The standard
`re` engine runs this about three times faster than the `regex` package (bench/RESULTS.md).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable

import regex

from pipeline.ruleset.lexicon import alternation

Span = tuple[int, int]


class KeywordIndex:
    """Every keyword of a rule set, compiled once; `lines` finds them all in one pass."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = tuple(sorted({w for w in words if w}))
        # the lexicons' trie, its blanks plain spaces (keywords are matched on text whose blanks
        # are spaces, line breaks aside: Context.lowered)
        trie = alternation(self.words, blank=" ")
        self._pattern = re.compile("(?=(" + trie + "))") if self.words else None
        known = set(self.words)
        self._prefixes = {
            w: tuple(w[:i] for i in range(1, len(w) + 1) if w[:i] in known) for w in self.words
        }

    def lines(self, low: str) -> dict[str, list[Span]]:
        """The spans of the lines of `low` (lower-cased text) holding each keyword, in order.

        >>> KeywordIndex(["bí thư", "thư", "chủ tịch"]).lines("bí thư a\\nx\\nchủ tịch, thư")
        {'bí thư': [(0, 8)], 'thư': [(0, 8), (11, 24)], 'chủ tịch': [(11, 24)]}
        """
        if self._pattern is None:
            return {}
        starts = line_starts(low)
        found: dict[str, list[Span]] = {}
        for m in self._pattern.finditer(low):
            at = bisect.bisect_right(starts, m.start()) - 1
            end = starts[at + 1] - 1 if at + 1 < len(starts) else len(low)
            for word in self._prefixes[m.group(1)]:
                spans = found.setdefault(word, [])
                if not spans or spans[-1][0] != starts[at]:
                    spans.append((starts[at], end))
        return found


def line_starts(text: str) -> list[int]:
    """Where each line of `text` starts.

    >>> line_starts("ab\\nc\\n")
    [0, 3, 5]
    """
    starts = [0]
    newline = text.find("\n")
    while newline >= 0:
        starts.append(newline + 1)
        newline = text.find("\n", newline + 1)
    return starts


def merged_lines(spans: Iterable[Span]) -> list[Span]:
    """Line spans in order, once each; lines next to each other make one span, so that a
    match may run over their line break.

    >>> merged_lines([(18, 38), (0, 8), (9, 17), (0, 8), (40, 45)])
    [(0, 38), (40, 45)]
    """
    out: list[Span] = []
    for start, end in sorted(set(spans)):
        if out and out[-1][1] + 1 == start:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def needed_spans(pattern: regex.Pattern[str], text: str, timeout: float) -> list[Span]:
    """Where `pattern` matches in `text`, overlapping matches too (one may hide another),
    within `timeout` seconds (TimeoutError past it).

    >>> needed_spans(regex.compile(r"\\d+ người"), "a\\n5 người\\nb 70 người", 1.0)
    [(2, 9), (12, 20), (13, 20)]
    """
    return [m.span() for m in pattern.finditer(text, overlapped=True, timeout=timeout)]


def blocks_holding(blocks: list[Span], spans: list[Span]) -> list[Span]:
    """The blocks (sorted, disjoint) that overlap one of `spans` (sorted by start): a rule
    that needs what `spans` mark runs on those blocks whole, so that a match it finds there is
    the match it found before (spanning lines, looking ahead to the block's end).

    >>> blocks_holding([(0, 10), (11, 20), (30, 40)], [(12, 14), (39, 45)])
    [(11, 20), (30, 40)]
    """
    starts = [start for start, _ in spans]
    reach = list(itertools.accumulate((end for _, end in spans), max))  # furthest end so far
    out = []
    for start, end in blocks:
        before = bisect.bisect_left(starts, end)  # the spans starting before the block ends
        if before and reach[before - 1] > start:
            out.append((start, end))
    return out
