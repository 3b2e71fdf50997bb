"""Where records sit in a document's text: highlight segments and the sentence around a span.

Spans may overlap or nest (an official's span holding a date), so the text is cut at every
span boundary into segments that each know which records cover them; viewers colour a segment
by its innermost record, which is the same on every run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

Segment = tuple[int, int, tuple[int, ...]]

_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*(?=\s)|\n")


def record_span(record: dict[str, Any], length: int) -> tuple[int, int] | None:
    """A record's `[start, end]` clipped to the text, or None when it is missing or empty.

    >>> record_span({"span": [3, 90]}, 10), record_span({"span": "x"}, 10)
    ((3, 10), None)
    """
    span = record.get("span")
    if not isinstance(span, (list, tuple)) or len(span) != 2:
        return None
    if not all(type(x) is int for x in span):  # not booleans either
        return None
    start, end = max(0, span[0]), min(length, span[1])
    return (start, end) if start < end else None


def segments(length: int, spans: Sequence[tuple[int, int] | None]) -> list[Segment]:
    """Cut `[0, length)` at every span boundary; each piece lists the spans covering it.

    >>> segments(10, [(2, 8), (4, 6), None])
    [(0, 2, ()), (2, 4, (0,)), (4, 6, (0, 1)), (6, 8, (0,)), (8, 10, ())]
    """
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for i, span in enumerate(spans):
        if span is not None and 0 <= span[0] < span[1] <= length:
            starts.setdefault(span[0], []).append(i)
            ends.setdefault(span[1], []).append(i)
    cuts = sorted({0, length, *starts, *ends})
    active: set[int] = set()
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        active.difference_update(ends.get(a, ()))
        active.update(starts.get(a, ()))
        out.append((a, b, tuple(sorted(active))))
    return out


def innermost(covering: tuple[int, ...], spans: Sequence[tuple[int, int] | None]) -> int | None:
    """The shortest span of a segment's covering ones (the later record on a tie).

    >>> innermost((0, 1), [(2, 8), (4, 6)]), innermost((), [])
    (1, None)
    """
    best: int | None = None
    for i in covering:
        span = spans[i]
        assert span is not None
        if best is None:
            best = i
            continue
        held = spans[best]
        assert held is not None
        if span[1] - span[0] <= held[1] - held[0]:
            best = i
    return best


def later_mentions(record: dict[str, Any], length: int) -> list[tuple[int, int]]:
    """A record's later mentions (`mentions` minus its own span), clipped to the text.

    >>> later_mentions({"span": [0, 2], "mentions": [[0, 2], [5, 7], [9, 99]]}, 8)
    [(5, 7)]
    """
    own = record_span(record, length)
    out = []
    for m in record.get("mentions") or []:
        span = record_span({"span": m}, length)
        if span and span != own:
            out.append(span)
    return out


def sentence_span(text: str, start: int, end: int, reach: int = 300) -> tuple[int, int, bool, bool]:
    """The sentence (or line) around `text[start:end]`, at most `reach` characters each way:
    (begin, end, cut before, cut after). A sentence longer than that is cut at a word
    boundary, and the flags say where, for an ellipsis.

    >>> t = "Mở đầu. Sáng 4/3, Tỉnh ủy họp. Kết thúc."
    >>> s, e, *cut = sentence_span(t, 8, 16); t[s:e], cut
    ('Sáng 4/3, Tỉnh ủy họp.', [False, False])
    >>> t = "một hai ba bốn năm sáu"
    >>> s, e, *cut = sentence_span(t, 11, 14, reach=5); t[s:e], cut
    ('ba bốn năm', [True, True])
    """
    left = max(0, start - reach)
    begin, cut_before = left, left > 0
    for found in _SENTENCE_END.finditer(text, left, start):
        begin, cut_before = found.end(), False
    if cut_before and not text[left - 1].isspace():  # inside a word: from the next one
        space = text.find(" ", left, start)
        begin = space + 1 if space >= 0 else start
    while begin < start and text[begin].isspace():
        begin += 1
    stop = min(len(text), end + reach)
    after = _SENTENCE_END.search(text, end, stop)
    if after is not None:
        return begin, after.start() if after.group() == "\n" else after.end(), cut_before, False
    finish = stop
    if stop < len(text):  # cut: end at the last word boundary before the limit
        space = text.rfind(" ", end, stop)
        finish = space if space >= 0 else end
    return begin, max(finish, end), cut_before, stop < len(text)


def bracketed(text: str, spans: Sequence[tuple[int, int, str]]) -> str:
    """The text with each span written `⟦...⟧{kind}`: highlighting that survives a pipe.

    Nested spans nest their brackets (the outer one opens first and closes last); where two
    spans cross, the one still open is closed and opened again, so brackets always pair up.

    >>> bracketed("ab cd ef", [(3, 8, "official"), (3, 5, "date")])
    'ab ⟦⟦cd⟧{date} ef⟧{official}'
    >>> bracketed("ab cd ef", [(0, 5, "official"), (3, 8, "date")])
    '⟦ab ⟦cd⟧{date}⟧{official}⟦ ef⟧{date}'
    """
    kept = [s for s in spans if 0 <= s[0] < s[1] <= len(text)]
    cuts = sorted({p for s in kept for p in s[:2]})
    stack: list[int] = []  # indexes into `kept`, the innermost open span last
    parts: list[str] = []
    last = 0
    for pos in cuts:
        parts.append(text[last:pos])
        last = pos
        reopen: list[int] = []
        while any(kept[i][1] == pos for i in stack):  # close down to the last span ending here
            i = stack.pop()
            parts.append(f"⟧{{{kept[i][2]}}}")
            if kept[i][1] != pos:
                reopen.append(i)
        opening = reopen + [i for i, s in enumerate(kept) if s[0] == pos]
        for i in sorted(opening, key=lambda i: (-kept[i][1], kept[i][2], i)):  # outer first
            parts.append("⟦")
            stack.append(i)
    parts.append(text[last:])
    return "".join(parts)
