"""Run a RuleSet over a normalized text: candidates, overlaps, attachments, records.

1. every finding rule runs over the text; a rule with `words: true` keeps only matches that
   start and end on word boundaries (this is the only place words are segmented, lazily);
2. overlapping candidates of one kind: the longest wins, then the earlier rule;
3. `attach: after` rules extend a candidate rightwards within its line (looking AFTER_WINDOW
   characters ahead, so that a line of thousands of references costs each one a window, not
   the rest of the line), `attach: before` rules leftwards within its clause (160 characters
   at most), each adding fields the candidate does not have yet; then `attach: next` rules
   find the further items of a candidate's list right after it, each a candidate of its own
   that shares the fields its rule does not set (see `list_items`);
4. the kinds' finishers (ruleset/kinds.py, ruleset/dates.py), in FINISH_ORDER, normalize
   fields, merge repeated mentions and link records of different kinds (a document's date);
   they see the document's Context: its publication time, its date line, earlier kinds.
A rule over its time limit (`Context.rule_seconds`, over all its tries on the page) is skipped
for the page with an error naming it; when the document's rule budget (`doc_seconds`) runs
out, the rules not run yet are skipped with one error and the records found so far are still
finished (given at least `rule_seconds` more) and kept.
Everything rejected on the way is counted by reason in `Context.counts`.
"""

from __future__ import annotations

import bisect
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol, TypeVar

import regex

from pipeline.document import Record
from pipeline.ruleset.context import Context
from pipeline.ruleset.convert import CONVERTERS
from pipeline.ruleset.keywords import blocks_holding, merged_lines
from pipeline.ruleset.kinds import FINISH_ORDER, FINISHERS, MERGED_ON_OVERLAP, merge_declared
from pipeline.ruleset.model import FieldSpec, Rule, RuleSet

#: How far back (characters) an `attach: before` rule looks from the record it attaches to:
#: "Ngày 23/4/2024, Ban Thường vụ Tỉnh ủy Thái Nguyên đã có " or "Chủ tịch UBND tỉnh Lào Cai
#: đã trao tặng Bằng khen của Thủ tướng Chính phủ cho " fit; each extra character costs a try.
BEFORE_WINDOW = 160
#: How far ahead (characters) an `attach: after` rule is first tried from where it starts. The
#: built-in attach patterns are bounded (the longest, a quoted subject, is about 320
#: characters); a match that may run on past the window is tried again over the whole line.
AFTER_WINDOW = 1000


T = TypeVar("T")


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
    """Field values from a match: a template whose groups did not all match gives None. A
    converter or table that cannot read its text leaves the field None and says so in the
    record's `errors` ("amount: cannot read '102,5' as vnint")."""
    out: dict[str, Any] = {}
    for spec in specs:
        values = {g: match.group(g) for g in spec.groups}
        if any(v is None for v in values.values()):
            out[spec.name] = None
            continue
        text = spec.template.format(**{k: " ".join(str(v).split()) for k, v in values.items()})
        out[spec.name] = converted(spec, text) if spec.converter else text
        if out[spec.name] is None and text.strip():
            problem = f"{spec.name}: cannot read {text!r} as {spec.converter}"
            out.setdefault("errors", []).append(problem)
    return out


def converted(spec: FieldSpec, text: str) -> Any:
    """`text` through the field's converter, or looked up in its table (case folded)."""
    if spec.table:
        return spec.lookup.get(" ".join(text.casefold().split()))
    return CONVERTERS[str(spec.converter)](text)


def _ranges(rule: Rule, text: str, ctx: Context, timeout: float) -> list[tuple[int, int]]:
    """Where the rule may match: the blocks of adjacent lines holding its prefilter keywords
    (else the whole text), and of those, with `needs:`, the blocks holding a match of what it
    needs (its scan within `timeout` seconds)."""
    key = (rule.prefilter, rule.needs.pattern if rule.needs else "")
    if key not in ctx.prefiltered:
        spans = [(0, len(text))]
        if rule.prefilter:
            lines = ctx.keyword_lines()
            spans = merged_lines(span for word in rule.prefilter for span in lines.get(word, ()))
        if rule.needs:
            spans = blocks_holding(spans, ctx.needed_spans(rule.needs, timeout))
        ctx.prefiltered[key] = spans
    return ctx.prefiltered[key]


@dataclass
class PageTimes:
    """Seconds each rule has spent on one page, the rules skipped on it (over their limit),
    and whether the document's rule budget is spent (then no rule runs any more)."""

    spent: dict[str, float] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)
    out_of_budget: bool = False


def _timed(
    rule: Rule,
    ctx: Context,
    times: PageTimes,
    find: Callable[[float], T],
) -> T | None:
    """`find(timeout)` for a rule, within what is left of the rule's time on this page.

    A rule over its limit gets an error naming it and is skipped for the rest of the page;
    once the document's budget is spent, no rule runs any more (one error says so). Either
    way the records found so far are kept, with what was attached to them."""
    if rule.id in times.skipped or times.out_of_budget:
        return None
    left_for_rule = ctx.rule_seconds - times.spent.get(rule.id, 0.0)
    try:
        budget = ctx.timeout(rule.id)
    except TimeoutError as exc:
        _out_of_budget(ctx, times, str(exc))
        return None
    started = time.monotonic()
    try:
        if min(budget, left_for_rule) <= 0:
            raise TimeoutError
        return find(min(budget, left_for_rule))
    except TimeoutError:
        if budget < left_for_rule:
            spent = f"rules ran over the document's {ctx.doc_seconds:g} s budget"
            _out_of_budget(ctx, times, f"{spent} (at rule {rule.id})")
            return None
        times.skipped.add(rule.id)
        what = "attach rule" if rule.attach else "rule"
        ctx.errors.append(
            f"{what} {rule.id} ({rule.path}) took over its limit of {ctx.rule_seconds:g} s "
            "and was skipped for this page"
        )
        return None
    finally:
        times.spent[rule.id] = times.spent.get(rule.id, 0.0) + time.monotonic() - started


def _out_of_budget(ctx: Context, times: PageTimes, message: str) -> None:
    """Stop running rules on this page: the document's rule budget is spent."""
    times.out_of_budget = True
    ctx.errors.append(f"{message}; the records found so far were kept")


def _find_all(rule: Rule, text: str, ctx: Context, timeout: float) -> list[regex.Match[str]]:
    """The rule's matches on the lines it may match, all lines within `timeout` seconds."""
    found: list[regex.Match[str]] = []
    deadline = time.monotonic() + timeout
    for start, end in _ranges(rule, text, ctx, timeout):
        left = deadline - time.monotonic()  # the limit is for all the lines
        if left <= 0:
            raise TimeoutError("regex timed out")
        found.extend(rule.pattern.finditer(text, start, end, timeout=left))
    return found


def _finditer(rule: Rule, text: str, ctx: Context, times: PageTimes) -> list[regex.Match[str]]:
    """The rule's matches; a rule over its time limit is skipped (with an error), so that one
    pathological pattern costs its own records only (see `_timed`)."""
    return _timed(rule, ctx, times, partial(_find_all, rule, text, ctx)) or []


def _candidates(
    ruleset: RuleSet, text: str, seg: WordBoundaries | None, ctx: Context, times: PageTimes
) -> list[Candidate]:
    """Every finding rule's matches as candidates, in rule order."""
    found: list[Candidate] = []
    for order, rule in enumerate(ruleset.finders()):
        for m in _finditer(rule, text, ctx, times):
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
    optional prefixes in lookbehinds so that the regex engine can start only at the core.
    A group named with a leading "_" is context the record reads but does not cover (a title
    before a list of names is shared by every name of the list)."""
    groups = [g for g in m.re.groupindex if not g.startswith("_")]
    starts = [m.start(g) for g in groups if m.start(g) >= 0]
    ends = [m.end(g) for g in groups if m.end(g) >= 0]
    return min([m.start(), *starts]), max([m.end(), *ends])


def resolve_overlaps(cands: list[Candidate], ctx: Context) -> list[Candidate]:
    """Keep non-overlapping candidates per kind: longest first, then rule order. A candidate
    that overlaps only readings of the same thing (MERGED_ON_OVERLAP: the same person named by
    its titles before and by those after) is kept too, for the kind's finisher to merge."""
    kept: dict[str, list[tuple[int, int]]] = {}
    keys: dict[tuple[int, int], str] = {}
    out: list[Candidate] = []
    for cand in sorted(cands, key=lambda c: (-(c.end - c.start), c.order, c.start)):
        spans = kept.setdefault(cand.rule.kind, [])
        at = bisect.bisect_left(spans, (cand.start, cand.end))
        hit = [s for s in spans[max(0, at - 1) : at + 1] if s[1] > cand.start and s[0] < cand.end]
        key = _merge_key(cand)
        if hit and key and all(keys.get(s) == key for s in hit):
            ctx.counts[f"merged.overlap.{cand.rule.id}"] += 1
            out.append(cand)
            continue
        if hit:
            ctx.reject(cand.rule.id, (cand.start, cand.end), "overlap")
            continue
        spans.insert(at, (cand.start, cand.end))
        if key:
            keys[(cand.start, cand.end)] = key
        out.append(cand)
    return sorted(out, key=lambda c: (c.start, c.end))


def list_items(
    ruleset: RuleSet, cands: list[Candidate], text: str, ctx: Context, times: PageTimes
) -> list[Candidate]:
    """The candidates with the further items of their lists ("chào đón 600 tân sinh viên,
    200 sinh viên liên thông và 80 học viên"): an `attach: next` rule matched at a
    candidate's end makes a candidate of the same kind, tried again at its own end. The item
    starts at the match's first group (the connector before it is not the record's); a list
    stops at an item that another candidate already holds."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for cand in cands:
        spans.setdefault(cand.rule.kind, []).append((cand.start, cand.end))
    out: list[Candidate] = []
    for cand in cands:
        out.append(cand)
        item: Candidate | None = cand
        while item is not None:
            item = _next_item(ruleset, item, text, ctx, times)
            if item is None:
                break
            if any(s < item.end and item.start < e for s, e in spans[item.rule.kind]):
                ctx.reject(item.rule.id, (item.start, item.end), "overlap")
                break
            spans[item.rule.kind].append((item.start, item.end))
            out.append(item)
    return sorted(out, key=lambda c: (c.start, c.end))


def _next_item(
    ruleset: RuleSet, cand: Candidate, text: str, ctx: Context, times: PageTimes
) -> Candidate | None:
    """The first `attach: next` rule of the candidate's kind that matches at its end; the item
    shares the fields of the list's head that the rule does not set itself (the award and its
    grantor, a post's honorific)."""
    for rule in ruleset.attachers(cand.rule.kind, "next"):
        m = _timed(rule, ctx, times, partial(_match_after, rule, text, cand.end))
        if m and m.end() > cand.end:
            named = [m.start(g) for g in m.re.groupindex if not g.startswith("_")]
            start = min((p for p in named if p >= 0), default=m.start())
            own = {spec.name for spec in rule.fields}
            fields = {k: v for k, v in cand.fields.items() if k not in own}
            fields.update(fill(rule.fields, m))
            return Candidate(rule, start, m.end(), fields, cand.order, (start, m.end()))
    return None


def _merge_key(cand: Candidate) -> str | None:
    """What names the candidate's thing, for kinds whose overlapping readings merge."""
    field_name = MERGED_ON_OVERLAP.get(cand.rule.kind)
    value = cand.fields.get(field_name) if field_name else None
    return " ".join(str(value).split()).casefold() if value else None


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


def _line_end(text: str, pos: int) -> int:
    """Where the line holding `pos` ends."""
    end = text.find("\n", pos)
    return len(text) if end == -1 else end


def _window_end(text: str, pos: int) -> tuple[int, bool]:
    r"""Where an attachment starting at `pos` is first looked for, and whether that is the
    end of the line: AFTER_WINDOW characters at most.

    >>> _window_end("ab\ncd", 0), _window_end("x" * 5000, 10)
    ((2, True), (1010, False))
    """
    limit = min(len(text), pos + AFTER_WINDOW)
    newline = text.find("\n", pos, limit)
    if newline >= 0:
        return newline, True
    return limit, limit == len(text)


def _match_after(rule: Rule, text: str, pos: int, timeout: float) -> regex.Match[str] | None:
    """The rule's match starting at `pos`, within its line.

    The match is first tried within a window (the regex module scans the whole range it is
    given for a pattern's required words, so a whole line per record would cost the square
    of the records on a long line). When the window cuts the line and the match reached the
    window's end (a partial match, or one ending right there), it is tried over the line.
    """
    deadline = time.monotonic() + timeout
    end, whole_line = _window_end(text, pos)
    m = rule.pattern.match(text, pos, end, partial=not whole_line, timeout=timeout)
    if whole_line or m is None or (not m.partial and m.end() < end):
        return m
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("regex timed out")
    return rule.pattern.match(text, pos, _line_end(text, pos), timeout=left)


def _search_before(
    rule: Rule, text: str, start: int, end: int, timeout: float
) -> regex.Match[str] | None:
    """The rule's first match in `text[start:end]` (a before-pattern ends at `end`)."""
    return rule.pattern.search(text, start, end, timeout=timeout)


def attach(
    ruleset: RuleSet,
    cand: Candidate,
    text: str,
    ctx: Context,
    times: PageTimes | None = None,
) -> None:
    """Apply the attach rules of the candidate's kind (see the module docstring).

    `times` carries the attach rules' time over the page (a fresh one: this candidate only).
    """
    times = times if times is not None else PageTimes()
    _attach_after(ruleset, cand, text, ctx, times)
    start = _clause_start(text, cand.start)
    for rule in ruleset.attachers(cand.rule.kind, "before"):
        m = _timed(rule, ctx, times, partial(_search_before, rule, text, start, cand.start))
        if m:
            _merge(cand.fields, fill(rule.fields, m))
            cand.extent = (min(cand.extent[0], m.start()), cand.extent[1])


def _attach_after(
    ruleset: RuleSet, cand: Candidate, text: str, ctx: Context, times: PageTimes
) -> None:
    """Chain the `attach: after` rules from the candidate's end, each rule once; the
    candidate's extent runs to the end of the last attachment."""
    pos, used = cand.end, set()
    after = ruleset.attachers(cand.rule.kind, "after")
    progress = True
    while progress:
        progress = False
        for rule in after:
            if rule.id in used:
                continue
            m = _timed(rule, ctx, times, partial(_match_after, rule, text, pos))
            if m and m.end() > pos:
                _merge(cand.fields, fill(rule.fields, m))
                pos, progress = m.end(), True
                used.add(rule.id)
                break
    cand.extent = (cand.start, pos)


def run(
    ruleset: RuleSet,
    text: str,
    seg: WordBoundaries | None = None,
    counts: Counter[str] | None = None,
    context: Context | None = None,
) -> list[Record]:
    """All records the rules find in `text`, in text order.

    When the document's rule budget runs out, the rules not run yet are skipped (an error
    says so) and the records found so far are finished and kept."""
    ctx = context or Context(text=text)
    ctx.start(text, ruleset.lexicons, ruleset.keywords)
    if counts is not None:
        ctx.counts = counts
    found: dict[str, list[Record]] = {}
    times = PageTimes()
    cands = resolve_overlaps(_candidates(ruleset, text, seg, ctx, times), ctx)
    for cand in cands:
        attach(ruleset, cand, text, ctx, times)
    for cand in list_items(ruleset, cands, text, ctx, times):
        rec = Record(
            cand.rule.kind,
            (cand.start, cand.end),
            text[cand.start : cand.end],
            cand.rule.id,
            cand.fields,
        )
        rec.extents = [cand.extent]
        found.setdefault(rec.type, []).append(rec)
    _time_to_finish(ctx)
    by_rule = {r.id: r for r in ruleset.rules}
    kinds = [k for k in FINISH_ORDER if k in found] + [k for k in found if k not in FINISH_ORDER]
    for kind in kinds:
        mine = _finish(kind, found[kind], ctx, ruleset.merges.get(kind))
        for rec in mine:
            for key, value in by_rule[rec.rule].default.items():
                if rec.fields.get(key) is None:
                    rec.fields[key] = value
        ctx.records[kind] = mine
    return sorted((rec for kind in found for rec in ctx.records[kind]), key=lambda r: r.span)


def _time_to_finish(ctx: Context) -> None:
    """Leave the finishers at least one rule's time (`rule_seconds`), past the document's
    budget if need be, so that the records found before it ran out are finished, not lost."""
    ctx.doc_seconds = max(ctx.doc_seconds, time.monotonic() - ctx.started + ctx.rule_seconds)


def _finish(
    kind: str, records: list[Record], ctx: Context, merge: tuple[str, ...] | None = None
) -> list[Record]:
    """The kind's finisher over its records; one that runs out of time loses its own kind's
    records only (with an error), never the other kinds'. A pack's kind has no finisher: its
    records are merged on the fields its `merge:` names, if any."""
    finisher = FINISHERS.get(kind)
    if finisher is None:
        return merge_declared(records, merge, ctx) if merge else records
    try:
        return finisher(records, ctx)
    except TimeoutError as exc:
        ctx.errors.append(f"{exc}; the {kind} records were dropped")
        return []
