"""Explain one text: what normalization, segmentation and each rule made of it, and why
candidates were rejected. The core of `vnextract explain`; printing is cli.py's job."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.config import Settings
from pipeline.process import check_rules, make_steps, process
from pipeline.ruleset.context import Context
from pipeline.ruleset.engine import run
from pipeline.ruleset.loader import cached_ruleset
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


def explain(content: str, settings: Settings, format: str = "text") -> Explanation:
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
    return out
