"""Explain one text: what normalization, segmentation and each rule made of it, and why
candidates were rejected. The core of `vnextract explain`; printing is cli.py's job."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

import regex

from pipeline.config import Settings
from pipeline.process import check_rules, make_steps, process
from pipeline.ruleset.context import Context
from pipeline.ruleset.engine import run
from pipeline.ruleset.loader import cached_ruleset
from pipeline.ruleset.model import RuleSet
from pipeline.steps.pages import make_document


@dataclass
class Explanation:
    text: str
    meta: dict[str, Any]
    dropped: list[dict[str, str]]
    errors: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    sentences: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    #: With `rule`: what that one rule made of the text (see `rule_report`).
    rule: dict[str, Any] | None = None


def explain(
    content: str, settings: Settings, format: str = "text", rule: str | None = None
) -> Explanation:
    """Run one page through the steps, within the same time limits as a batch, with tracing
    on; every sentence is word-segmented."""
    check_rules(settings)
    doc = make_document("explain", {"format": format}, content, settings)
    steps = [(name, step) for name, step in make_steps(settings) if name != "extract"]
    doc = process(doc, steps, max_seconds=settings.max_seconds, keep_segmentation=True)
    out = Explanation(doc.text, doc.meta.to_dict(), doc.dropped, doc.errors, doc.notes)
    if doc.segmentation is None:  # a step failed or ran out of time: its error says which
        return out
    ctx = Context(
        published=doc.meta.published,
        authors=list(doc.meta.authors),
        trace=[],
        rule_seconds=settings.rule_seconds,
        doc_seconds=settings.doc_seconds,
    )
    ctx.date_line = doc.spans.get("date_line")
    records = run(
        cached_ruleset(settings.rule_dirs, settings.program_cache),
        doc.text,
        doc.segmentation,
        context=ctx,
    )
    seg = doc.segmentation
    for start, end in seg.sentences:
        words = [doc.text[s:e] for s, e in seg.words_in((start, end))]
        out.sentences.append({"span": [start, end], "text": doc.text[start:end], "words": words})
    out.records = [r.to_dict() for r in records]
    out.rejected = list(ctx.trace or [])
    if rule is not None:
        ruleset = cached_ruleset(settings.rule_dirs, settings.program_cache)
        out.rule = rule_report(ruleset, rule, doc.text, out.rejected)
    return out


def rule_report(
    ruleset: RuleSet, rule_id: str, text: str, rejected: list[dict[str, Any]]
) -> dict[str, Any]:
    """One rule on one text: its prefilter words found and missing, whether the text holds what
    it needs, its matches, where it came closest when it found nothing (the longest text a
    match could start with), and the candidates of its that were rejected, with the reason.
    KeyError names similar ids."""
    by_id = {r.id: r for r in ruleset.rules}
    if rule_id not in by_id:
        near = difflib.get_close_matches(rule_id, by_id, n=5, cutoff=0.5)
        raise KeyError(
            f"no rule {rule_id!r}" + (f"; did you mean {', '.join(near)}?" if near else "")
        )
    rule = by_id[rule_id]
    folded = text.casefold()
    matches = [{"span": list(m.span()), "text": m.group()} for m in rule.pattern.finditer(text)]
    report: dict[str, Any] = {
        "id": rule.id, "kind": rule.kind, "file": rule.path, "attach": rule.attach or None,
        "prefilter_found": [w for w in rule.prefilter if w in folded],
        "prefilter_missing": [w for w in rule.prefilter if w not in folded],
        "needs_found": None if rule.needs is None else bool(rule.needs.search(text)),
        "matches": matches, "closest": None,
        "rejected": [r for r in rejected if r.get("rule") == rule.id],
    }  # fmt: skip
    if not matches and (near_span := closest(rule.pattern, text)):
        a, b = near_span
        report["closest"] = {"span": [a, b], "text": text[a:b], "stopped_before": text[b : b + 20]}
    return report


def closest(pattern: regex.Pattern[str], text: str, limit: int = 20_000) -> tuple[int, int] | None:
    """The longest stretch of `text` that a match of `pattern` could begin with (a partial
    match, tried from each word's start), None if none gets past one word's start.

    >>> p = regex.compile(r"(?P<n>\\d+) tập thể và (?P<m>\\d+) cá nhân")
    >>> t = "tặng 4 tập thể và nhiều cá nhân"
    >>> a, b = closest(p, t); t[a:b]
    '4 tập thể và '
    """
    best: tuple[int, int] | None = None
    text = text[:limit]
    starts = [m.start() for m in regex.finditer(r"(?<!\w)\w", text)]
    ends = [m.end() for m in regex.finditer(r"\w(?!\w)|\s+", text)] + [len(text)]
    for s in starts:
        last = None
        for e in (e for e in ends if e > s):
            if pattern.match(text, s, e, partial=True) is None:
                break
            last = e
        if last is not None and (best is None or last - s > best[1] - best[0]):
            best = (s, last)
    return best
