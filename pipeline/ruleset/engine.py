"""Run a RuleSet over a normalized text: candidates, overlaps, attachments, records.

1. every finding rule runs over the text; a rule with `words: true` keeps only matches that
   start and end on word boundaries (this is the only place words are segmented, lazily);
2. overlapping candidates of one kind: the longest wins, then the earlier rule;
3. `attach: after` rules extend a candidate rightwards within its line, `attach: before`
   rules leftwards within its clause (160 characters at most), each adding fields the
   candidate does not have yet;
4. the kinds' finishers (ruleset/kinds.py, ruleset/dates.py), in FINISH_ORDER, normalize
   fields, merge repeated mentions and link records of different kinds (a document's date);
   they see the document's Context: its publication time, its date line, earlier kinds.
Everything rejected on the way is counted by reason in `Context.counts`.
"""

from __future__ import annotations

import bisect
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

import regex

from pipeline.document import Record
from pipeline.ruleset.context import Context
from pipeline.ruleset.convert import CONVERTERS
from pipeline.ruleset.kinds import FINISH_ORDER, FINISHERS
from pipeline.ruleset.loader import FieldSpec, Rule, RuleSet

#: How far back (characters) an `attach: before` rule looks from the record it attaches to:
#: "Ngày 23/4/2024, Ban Thường vụ Tỉnh ủy Thái Nguyên đã có " or "Chủ tịch UBND tỉnh Lào Cai
#: đã trao tặng Bằng khen của Thủ tướng Chính phủ cho " fit; each extra character costs a try.
BEFORE_WINDOW = 160


class WordBoundaries(Protocol):
    """What the engine needs from a segmentation (steps/segment.py provides it)."""

    def on_words(self, start: int, end: int) -> bool: ...


@dataclass
class Candidate:
    rule: Rule
    start: int
    end: int
    fields: dict[str, Any] = field(default_factory=dict)
    order: int = 0
    extent: tuple[int, int] = (0, 0)  # the match with its attachments


def fill(specs: tuple[FieldSpec, ...], match: regex.Match[str]) -> dict[str, Any]:
    """Field values from a match: a template whose groups did not all match gives None."""
    out: dict[str, Any] = {}
    for spec in specs:
        values = {g: match.group(g) for g in spec.groups}
        if any(v is None for v in values.values()):
            out[spec.name] = None
            continue
        text = spec.template.format(**{k: " ".join(str(v).split()) for k, v in values.items()})
        out[spec.name] = CONVERTERS[spec.converter](text) if spec.converter else text
    return out


def keyword_lines(low: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    r"""Spans of the lines of `low` (lower-cased text) that hold one of `words`, in order.

    Lines next to each other make one span, so that a match may run over their line break.

    >>> keyword_lines("bí thư a\nkhông có\nchủ tịch b, bí thư c", ("bí thư", "chủ tịch"))
    [(0, 8), (18, 38)]
    >>> keyword_lines("bí thư a\nchủ tịch b", ("bí thư", "chủ tịch"))
    [(0, 19)]
    """
    lines: set[tuple[int, int]] = set()
    for word in words:
        at = low.find(word)
        while at >= 0:
            start = low.rfind("\n", 0, at) + 1
            end = low.find("\n", at)
            end = len(low) if end < 0 else end
            lines.add((start, end))
            at = low.find(word, end)
    spans: list[tuple[int, int]] = []
    for start, end in sorted(lines):
        if spans and spans[-1][1] + 1 == start:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _ranges(rule: Rule, text: str, ctx: Context) -> list[tuple[int, int]]:
    """Where the rule may match: the lines holding one of its prefilter keywords, else all."""
    if not rule.prefilter:
        return [(0, len(text))]
    if rule.prefilter not in ctx.prefiltered:
        ctx.prefiltered[rule.prefilter] = keyword_lines(ctx.lowered(), rule.prefilter)
    return ctx.prefiltered[rule.prefilter]


def _finditer(rule: Rule, text: str, ctx: Context) -> list[regex.Match[str]]:
    """The rule's matches; a rule over its time limit is skipped (with an error), so that one
    pathological pattern costs its own records only. The document's budget still holds."""
    timeout = ctx.timeout(rule.id)
    found: list[regex.Match[str]] = []
    started = time.monotonic()
    try:
        for start, end in _ranges(rule, text, ctx):
            left = timeout - (time.monotonic() - started)  # the limit is for all the lines
            if left <= 0:
                raise TimeoutError
            found.extend(rule.pattern.finditer(text, start, end, timeout=left))
        return found
    except TimeoutError:
        ctx.errors.append(f"rule {rule.id} ({rule.path}) took over {timeout:g} s and was skipped")
        return []


def _candidates(
    ruleset: RuleSet, text: str, seg: WordBoundaries | None, ctx: Context
) -> list[Candidate]:
    found: list[Candidate] = []
    for order, rule in enumerate(ruleset.finders()):
        for m in _finditer(rule, text, ctx):
            if m.end() <= m.start():
                continue
            start, end = span_of(m)
            if rule.words and seg is not None and not seg.on_words(start, end):
                ctx.reject(rule.id, (start, end), "word_boundary")
                continue
            found.append(Candidate(rule, start, end, fill(rule.fields, m), order, (start, end)))
    return found


def span_of(m: regex.Match[str]) -> tuple[int, int]:
    """The match with what its groups captured around it: a prefix read by a lookbehind
    ("(?<=(?P<doc_type>Nghị quyết) số )25-NQ/TW") belongs to the record. Patterns put such
    optional prefixes in lookbehinds so that the regex engine can start only at the core."""
    starts = [m.start(g) for g in m.re.groupindex if m.start(g) >= 0]
    ends = [m.end(g) for g in m.re.groupindex if m.end(g) >= 0]
    return min([m.start(), *starts]), max([m.end(), *ends])


def resolve_overlaps(cands: list[Candidate], ctx: Context) -> list[Candidate]:
    """Keep non-overlapping candidates per kind: longest first, then rule order."""
    kept: dict[str, list[tuple[int, int]]] = {}
    out: list[Candidate] = []
    for cand in sorted(cands, key=lambda c: (-(c.end - c.start), c.order, c.start)):
        spans = kept.setdefault(cand.rule.kind, [])
        at = bisect.bisect_left(spans, (cand.start, cand.end))
        before = spans[at - 1] if at else None
        after = spans[at] if at < len(spans) else None
        if (before and before[1] > cand.start) or (after and after[0] < cand.end):
            ctx.reject(cand.rule.id, (cand.start, cand.end), "overlap")
            continue
        spans.insert(at, (cand.start, cand.end))
        out.append(cand)
    return sorted(out, key=lambda c: (c.start, c.end))


def _merge(target: dict[str, Any], new: dict[str, Any]) -> None:
    for key, value in new.items():
        if value is not None and target.get(key) is None:
            target[key] = value


_CLAUSE_ENDS = (". ", "! ", "? ", "; ", "\n")


def _clause_start(text: str, pos: int) -> int:
    """Where the sentence or clause holding `pos` starts, looking back BEFORE_WINDOW at most:
    "Ngày 23/4/2024, Ban Thường vụ ... đã có" stays within its sentence."""
    lo = max(0, pos - BEFORE_WINDOW)
    return max(
        [
            lo,
            *(
                text.rfind(end, lo, pos) + len(end)
                for end in _CLAUSE_ENDS
                if text.rfind(end, lo, pos) >= 0
            ),
        ]
    )


def attach(ruleset: RuleSet, cand: Candidate, text: str, ctx: Context) -> None:
    """Apply the attach rules of the candidate's kind (see the module docstring)."""
    line_end = text.find("\n", cand.end)
    line_end = len(text) if line_end == -1 else line_end
    pos, used = cand.end, set()
    after = ruleset.attachers(cand.rule.kind, "after")
    progress = True
    while progress:
        progress = False
        for rule in after:
            if rule.id in used:
                continue
            m = rule.pattern.match(text, pos, line_end, timeout=ctx.timeout(rule.id))
            if m and m.end() > pos:
                _merge(cand.fields, fill(rule.fields, m))
                pos, progress = m.end(), True
                used.add(rule.id)
                break
    cand.extent = (cand.start, pos)
    start = _clause_start(text, cand.start)
    for rule in ruleset.attachers(cand.rule.kind, "before"):
        m = rule.pattern.search(text, start, cand.start, timeout=ctx.timeout(rule.id))
        if m:
            _merge(cand.fields, fill(rule.fields, m))
            cand.extent = (min(cand.extent[0], m.start()), cand.extent[1])


def run(
    ruleset: RuleSet,
    text: str,
    seg: WordBoundaries | None = None,
    counts: Counter[str] | None = None,
    context: Context | None = None,
) -> list[Record]:
    """All records the rules find in `text`, in text order."""
    ctx = context or Context(text=text)
    ctx.text, ctx.lexicons, ctx.prefiltered = text, ruleset.lexicons, {}
    if counts is not None:
        ctx.counts = counts
    found: dict[str, list[Record]] = {}
    for cand in resolve_overlaps(_candidates(ruleset, text, seg, ctx), ctx):
        attach(ruleset, cand, text, ctx)
        rec = Record(
            cand.rule.kind,
            (cand.start, cand.end),
            text[cand.start : cand.end],
            cand.rule.id,
            cand.fields,
        )
        rec.extents = [cand.extent]
        found.setdefault(rec.type, []).append(rec)
    by_rule = {r.id: r for r in ruleset.rules}
    kinds = [k for k in FINISH_ORDER if k in found] + [k for k in found if k not in FINISH_ORDER]
    for kind in kinds:
        finisher = FINISHERS.get(kind)
        mine = finisher(found[kind], ctx) if finisher else found[kind]
        for rec in mine:
            for key, value in by_rule[rec.rule].default.items():
                if rec.fields.get(key) is None:
                    rec.fields[key] = value
        ctx.records[kind] = mine
    return sorted((rec for kind in found for rec in ctx.records[kind]), key=lambda r: r.span)
